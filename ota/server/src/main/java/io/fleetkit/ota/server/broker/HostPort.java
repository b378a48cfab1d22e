package io.fleetkit.ota.server.broker;

import io.fleetkit.events.UsageException;

/** A listening address, {@code HOST:PORT} on the command line ({@code [::1]:8883} for IPv6). */
public record HostPort(String host, int port) {

    public HostPort {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
    }

    public static HostPort parse(String text, String option) {
        int colon = text.lastIndexOf(':');
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            String host = colon > 0 ? text.substring(0, colon) : "0.0.0.0";
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new HostPort(host, port);
        } catch (RuntimeException e) {
            throw new UsageException("server.bad-listen", option + " " + text + " is not HOST:PORT", "Use e.g. " + option + " 0.0.0.0:8883.");
        }
    }

    /** True for the wildcard addresses that listen on every interface. */
    public boolean everyInterface() {
        return host.equals("0.0.0.0") || host.equals("::");
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
