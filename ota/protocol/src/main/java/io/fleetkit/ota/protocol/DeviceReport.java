package io.fleetkit.ota.protocol;

import io.fleetkit.json.JsonFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a device says about itself on its retained {@code state} topic: identity, running version
 * and slot, each slot's version (null when empty), its update's progress, free space, uptime,
 * agent version, optional provisioned tags, (optionally) the device's network identity: its
 * MAC addresses (normalized by {@link MacAddresses}) and board serial number, which let the fleet
 * server recognise a device when it netboots, and (optionally) its host name and the values of the
 * settings its image declares (never its Wi-Fi passphrase), and (optionally) the report's {@link ReportOrder}, by which
 * the server tells a late, older report from a newer one. Reports without these fields parse as before.
 */
public record DeviceReport(
        String id,
        String board,
        String version,
        long versionNumber,
        String slot,
        Map<String, String> slotVersions,
        UpdateStatus update,
        long freeBytes,
        long uptimeSeconds,
        String agent,
        List<String> tags,
        List<String> macs,
        String serial,
        String hostname,
        Map<String, String> settings,
        ReportOrder order) {

    public static final int MAX_SLOTS = 8;
    public static final int MAX_TAGS = 32;
    public static final int MAX_MACS = 16;
    /** Longest serial number, in characters of {@code [A-Za-z0-9._+~-]}. */
    public static final int MAX_SERIAL = 64;
    /** A host name: one DNS label. */
    public static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    /** Most settings a report carries; a setting's name and the longest value, in characters. */
    public static final int MAX_SETTINGS = 32;
    public static final Pattern SETTING_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    public static final int MAX_SETTING_VALUE = 256;

    public DeviceReport {
        DeviceIds.require(id);
        slotVersions = slotVersions == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(slotVersions));
        update = update == null ? UpdateStatus.IDLE : update;
        tags = tags == null ? List.of() : List.copyOf(tags);
        macs = macs == null ? List.of() : macs.stream().map(DeviceReport::mac).distinct().toList();
        if (macs.size() > MAX_MACS) {
            throw ProtocolException.malformed("device report", macs.size() + " MAC addresses, more than " + MAX_MACS);
        }
        if (serial != null && (serial.length() > MAX_SERIAL || !MessageJson.NAME.matcher(serial).matches())) {
            throw ProtocolException.malformed("device report", "serial '" + Text.shorten(serial) + "' is not 1-" + MAX_SERIAL
                    + " of [A-Za-z0-9._+~-]");
        }
        if (hostname != null && !HOSTNAME.matcher(hostname).matches()) {
            throw ProtocolException.malformed("device report", "hostname '" + Text.shorten(hostname) + "' is not a host name");
        }
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(settings));
        if (settings.size() > MAX_SETTINGS) {
            throw ProtocolException.malformed("device report", settings.size() + " settings, more than " + MAX_SETTINGS);
        }
        settings.forEach((name, value) -> {
            if (!SETTING_NAME.matcher(name).matches()) {
                throw ProtocolException.malformed("device report", "setting name '" + Text.shorten(name) + "' is not [a-z][a-z0-9_]*");
            }
            if (value == null || value.length() > MAX_SETTING_VALUE) {
                throw ProtocolException.malformed("device report", "setting " + name + " is not a text of at most "
                        + MAX_SETTING_VALUE + " characters");
            }
        });
    }

    /** A report without its order, as agents before it was added sent. */
    public DeviceReport(String id, String board, String version, long versionNumber, String slot, Map<String, String> slotVersions,
            UpdateStatus update, long freeBytes, long uptimeSeconds, String agent, List<String> tags, List<String> macs, String serial,
            String hostname, Map<String, String> settings) {
        this(id, board, version, versionNumber, slot, slotVersions, update, freeBytes, uptimeSeconds, agent, tags, macs, serial,
                hostname, settings, null);
    }

    /** A report without network identity, as agents before it was added sent. */
    public DeviceReport(String id, String board, String version, long versionNumber, String slot, Map<String, String> slotVersions,
            UpdateStatus update, long freeBytes, long uptimeSeconds, String agent, List<String> tags) {
        this(id, board, version, versionNumber, slot, slotVersions, update, freeBytes, uptimeSeconds, agent, tags, List.of(), null);
    }

    /** A report without host name and settings, as agents before they were added sent. */
    public DeviceReport(String id, String board, String version, long versionNumber, String slot, Map<String, String> slotVersions,
            UpdateStatus update, long freeBytes, long uptimeSeconds, String agent, List<String> tags, List<String> macs, String serial) {
        this(id, board, version, versionNumber, slot, slotVersions, update, freeBytes, uptimeSeconds, agent, tags, macs, serial,
                null, Map.of());
    }

    /** This report with the device's MAC addresses and serial number (null when unknown). */
    public DeviceReport withNetwork(List<String> macs, String serial) {
        return new DeviceReport(id, board, version, versionNumber, slot, slotVersions, update, freeBytes, uptimeSeconds, agent, tags,
                macs, serial, hostname, settings, order);
    }

    /** This report with the device's host name (null when unknown) and the values of its image's declared settings. */
    public DeviceReport withSettings(String hostname, Map<String, String> settings) {
        return new DeviceReport(id, board, version, versionNumber, slot, slotVersions, update, freeBytes, uptimeSeconds, agent, tags,
                macs, serial, hostname, settings, order);
    }

    /** This report at {@code position} among its device's reports. */
    public DeviceReport withOrder(ReportOrder position) {
        return new DeviceReport(id, board, version, versionNumber, slot, slotVersions, update, freeBytes, uptimeSeconds, agent, tags,
                macs, serial, hostname, settings, position);
    }

    private static String mac(String text) {
        return MacAddresses.normalize(text).orElseThrow(() -> ProtocolException.malformed("device report",
                "'" + Text.shorten(String.valueOf(text)) + "' is not a MAC address like dc:a6:32:01:02:03"));
    }

    public byte[] encode() {
        Map<String, Object> m = Messages.start();
        m.put("id", id);
        m.put("board", board);
        m.put("version", version);
        m.put("versionNumber", versionNumber);
        m.put("slot", slot);
        Map<String, Object> slots = new LinkedHashMap<>();
        slotVersions.forEach((name, v) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("version", v);
            slots.put(name, s);
        });
        m.put("slots", slots);
        m.put("update", update.toMap());
        m.put("freeBytes", freeBytes);
        m.put("uptimeSeconds", uptimeSeconds);
        m.put("agent", agent);
        if (!tags.isEmpty()) {
            m.put("tags", tags);
        }
        if (!macs.isEmpty()) {
            m.put("macs", macs);
        }
        if (serial != null) {
            m.put("serial", serial);
        }
        if (hostname != null) {
            m.put("hostname", hostname);
        }
        if (!settings.isEmpty()) {
            m.put("settings", settings);
        }
        if (order != null) {
            m.put("order", order.toMap());
        }
        return Messages.bytes(m);
    }

    public static DeviceReport decode(byte[] payload) {
        JsonFields f = MessageJson.parse(payload, "device report", Schema.MAX_JSON_BYTES);
        String id = f.requiredString("id", 64);
        if (!DeviceIds.isValid(id)) {
            throw new ProtocolException("protocol.bad-device-id", "device report names device '" + Text.shorten(id) + "', not a valid device id");
        }
        Map<String, String> slots = new LinkedHashMap<>();
        JsonFields slotsField = f.optionalObject("slots");
        if (slotsField != null) {
            if (slotsField.raw().size() > MAX_SLOTS) {
                throw ProtocolException.malformed("device report", "more than " + MAX_SLOTS + " slots");
            }
            for (String name : slotsField.raw().keySet()) {
                if (!MessageJson.NAME.matcher(name).matches() || name.length() > 16) {
                    throw ProtocolException.malformed("device report", "slot name '" + Text.shorten(name) + "' is not a short name");
                }
                JsonFields slot = slotsField.optionalObject(name);
                slots.put(name, slot == null ? null : MessageJson.optionalName(slot, "version"));
            }
        }
        List<String> tags = new ArrayList<>();
        for (Object t : f.optionalList("tags", MAX_TAGS)) {
            if (!(t instanceof String s) || !MessageJson.NAME.matcher(s).matches()) {
                throw ProtocolException.malformed("device report", "tags must be names of [A-Za-z0-9._+~-]");
            }
            tags.add(s);
        }
        List<String> macs = new ArrayList<>();
        for (Object mac : f.optionalList("macs", MAX_MACS)) {
            if (!(mac instanceof String s)) {
                throw ProtocolException.malformed("device report", "macs must be strings like dc:a6:32:01:02:03");
            }
            macs.add(s);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        JsonFields settingsField = f.optionalObject("settings");
        if (settingsField != null) {
            if (settingsField.raw().size() > MAX_SETTINGS) {
                throw ProtocolException.malformed("device report", "more than " + MAX_SETTINGS + " settings");
            }
            for (String name : settingsField.raw().keySet()) {
                settings.put(name, settingsField.optionalString(name, MAX_SETTING_VALUE));
            }
        }
        return new DeviceReport(id, MessageJson.requiredName(f, "board"), MessageJson.optionalName(f, "version"), f.optionalLong("versionNumber", 0),
                MessageJson.optionalName(f, "slot"), slots, UpdateStatus.from(f.optionalObject("update")),
                f.optionalLong("freeBytes", -1), f.optionalLong("uptimeSeconds", -1), f.optionalString("agent", Schema.MAX_NAME), tags,
                macs, f.optionalString("serial", MAX_SERIAL), f.optionalString("hostname", 63), settings,
                ReportOrder.from(f.optionalObject("order")));
    }
}
