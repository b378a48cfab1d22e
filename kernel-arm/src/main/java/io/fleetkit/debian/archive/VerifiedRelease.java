package io.fleetkit.debian.archive;

/**
 * An InRelease whose signature checked out: the signed body text only (never the unverified
 * bytes around it), its parsed fields, and the fingerprint of the key that signed it.
 */
public record VerifiedRelease(String text, ReleaseFile release, String signerFingerprint) {
}
