package io.fleetkit.ota.protocol;

/** Shortens untrusted text before it goes into an error message. */
final class Text {

    private Text() {
    }

    static String shorten(String s) {
        String clean = s.replaceAll("[\\p{Cntrl}]", "?");
        return clean.length() <= 80 ? clean : clean.substring(0, 80) + "...";
    }
}
