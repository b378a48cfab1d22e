package io.fleetkit.ota.agent;

import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.formats.fat.FatFileInPlace;
import io.fleetkit.formats.mbr.MbrPartition;
import io.fleetkit.formats.mbr.MbrReader;
import io.fleetkit.json.JsonParser;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Each slot's version, from the {@code version} field of {@code slot.json} in the slot's FAT; null for an empty or unreadable slot. */
public final class SlotVersions {

    private SlotVersions() {
    }

    public static Map<String, String> read(Path disk) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Slot s : Slot.values()) {
            out.put(s.name(), version(disk, s).orElse(null));
        }
        return out;
    }

    static Optional<String> version(Path disk, Slot slot) {
        try {
            MbrPartition p = MbrReader.read(disk).require(slot.partition(), "slot " + slot);
            Optional<byte[]> json = new FatFileInPlace(disk, p.startByte()).read("slot.json");
            if (json.isEmpty()) {
                return Optional.empty();
            }
            Object v = JsonParser.parseObject(json.get(), 1024 * 1024).get("version");
            return v instanceof String s ? Optional.of(s) : Optional.empty();
        } catch (Exception e) {
            // an empty slot has no FAT at all; a damaged one reports no version
            return Optional.empty();
        }
    }
}
