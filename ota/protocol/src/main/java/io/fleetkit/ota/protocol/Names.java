package io.fleetkit.ota.protocol;

/** The protocol's names (versions, boards, slots, tags, rollout ids): a letter or digit, then up to 127 of [A-Za-z0-9._+~-]. */
public final class Names {

    private Names() {
    }

    public static boolean isValid(String s) {
        return s != null && MessageJson.NAME.matcher(s).matches();
    }
}
