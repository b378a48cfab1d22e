package io.fleetkit.ota.mqtt;

import java.net.URI;

/** Where the broker is: {@code tcp://host:port} (plain) or {@code ssl://host:port} (TLS), the URL forms the agent config uses. */
public record BrokerAddress(String host, int port, boolean tls) {

    public BrokerAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("broker host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("broker port " + port + " is out of range");
        }
    }

    /** Parses {@code tcp://host[:1883]} or {@code ssl://host[:8883]}; IPv6 hosts go in brackets. */
    public static BrokerAddress parse(String url) {
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("broker URL '" + url + "' is not a URL: " + e.getMessage(), e);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme();
        boolean tls = switch (scheme) {
            case "tcp", "mqtt" -> false;
            case "ssl", "mqtts" -> true;
            default -> throw new IllegalArgumentException("broker URL '" + url + "' must start with tcp:// or ssl://");
        };
        String host = u.getHost();
        if (host == null) {
            throw new IllegalArgumentException("broker URL '" + url + "' has no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new BrokerAddress(host, u.getPort() == -1 ? (tls ? 8883 : 1883) : u.getPort(), tls);
    }

    @Override
    public String toString() {
        return (tls ? "ssl://" : "tcp://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
