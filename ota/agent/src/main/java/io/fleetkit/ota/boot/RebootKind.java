package io.fleetkit.ota.boot;

/** How to reboot: a plain restart, or the Raspberry Pi firmware's one-shot {@code tryboot}. */
public enum RebootKind {
    NORMAL, TRYBOOT
}
