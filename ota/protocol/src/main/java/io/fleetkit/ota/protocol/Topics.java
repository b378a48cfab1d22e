package io.fleetkit.ota.protocol;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The protocol's topic names under a prefix ({@code fleet/v1} by default):
 * {@code <prefix>/devices/<id>/<kind>}. Builds them for senders and parses them for receivers;
 * a topic with a bad device id or an unknown kind parses to empty.
 */
public final class Topics {

    /* Before DEFAULT: the constructor needs it during class initialisation. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    public static final String DEFAULT_PREFIX = "fleet/v1";
    public static final Topics DEFAULT = new Topics(DEFAULT_PREFIX);

    /** What a device may do on its own topic of a kind (docs/protocol.md, "Security"); nothing on others'. */
    public enum DeviceRight { PUBLISH, SUBSCRIBE }

    /** The topic kinds; {@link #suffix()} follows {@code devices/<id>/}. */
    public enum Kind {
        ONLINE("online", DeviceRight.PUBLISH), STATE("state", DeviceRight.PUBLISH), EVENTS("events", DeviceRight.PUBLISH),
        DESIRED("desired", DeviceRight.SUBSCRIBE), CHUNK_REQUEST("chunks/req", DeviceRight.PUBLISH),
        CHUNK_DATA("chunks/data", DeviceRight.SUBSCRIBE), EVENT_ACK("events/ack", DeviceRight.SUBSCRIBE);

        private final String suffix;
        private final DeviceRight deviceRight;

        Kind(String suffix, DeviceRight deviceRight) {
            this.suffix = suffix;
            this.deviceRight = deviceRight;
        }

        public String suffix() {
            return suffix;
        }

        /** The one thing the device itself may do on its own topic of this kind; the server does the other. */
        public DeviceRight deviceRight() {
            return deviceRight;
        }
    }

    /** A parsed topic: which device, which kind. */
    public record Topic(String deviceId, Kind kind) {}

    private final String prefix;

    public Topics(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches() || prefix.length() > 200) {
            throw new ProtocolException("protocol.bad-prefix", "topic prefix '" + prefix
                    + "' must be '/'-separated words of [A-Za-z0-9._-], no wildcards, no leading or trailing '/'");
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    public String topic(String deviceId, Kind kind) {
        return prefix + "/devices/" + DeviceIds.require(deviceId) + "/" + kind.suffix();
    }

    public String online(String deviceId) {
        return topic(deviceId, Kind.ONLINE);
    }

    public String state(String deviceId) {
        return topic(deviceId, Kind.STATE);
    }

    public String events(String deviceId) {
        return topic(deviceId, Kind.EVENTS);
    }

    public String desired(String deviceId) {
        return topic(deviceId, Kind.DESIRED);
    }

    public String chunkRequests(String deviceId) {
        return topic(deviceId, Kind.CHUNK_REQUEST);
    }

    public String chunkData(String deviceId) {
        return topic(deviceId, Kind.CHUNK_DATA);
    }

    /** Where the server says which of the device's events it has applied ({@link EventAck}). */
    public String eventAcks(String deviceId) {
        return topic(deviceId, Kind.EVENT_ACK);
    }

    /** What the server subscribes to: every device's online, state, events and chunk requests. */
    public List<String> serverSubscriptions() {
        return List.of(wildcard(Kind.ONLINE), wildcard(Kind.STATE), wildcard(Kind.EVENTS), wildcard(Kind.CHUNK_REQUEST));
    }

    /** What a device subscribes to: its desired update, its chunk answers and the acknowledgements of its events. */
    public List<String> deviceSubscriptions(String deviceId) {
        return List.of(desired(deviceId), chunkData(deviceId), eventAcks(deviceId));
    }

    public String wildcard(Kind kind) {
        return prefix + "/devices/+/" + kind.suffix();
    }

    /** Parses a topic of this prefix; empty for anything else, including bad device ids. */
    public Optional<Topic> parse(String topic) {
        String head = prefix + "/devices/";
        if (topic == null || !topic.startsWith(head)) {
            return Optional.empty();
        }
        String rest = topic.substring(head.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String id = rest.substring(0, slash);
        String suffix = rest.substring(slash + 1);
        if (!DeviceIds.isValid(id)) {
            return Optional.empty();
        }
        for (Kind k : Kind.values()) {
            if (k.suffix.equals(suffix)) {
                return Optional.of(new Topic(id, k));
            }
        }
        return Optional.empty();
    }
}
