package io.fleetkit.flash;

/** A finished flash; {@code verify} is null when read-back was turned off. */
public record FlashResult(WrittenImage written, VerifyResult verify) {
}
