package io.fleetkit.ota.server.logging;

/**
 * Points logback at the fleet server's configuration ({@code logback.xml} beside this class: everything into
 * {@link EventSinkAppender}) before any library logs; the HiveMQ jar carries a {@code logback.xml} of its own,
 * which would print to the console. An operator's {@code -Dlogback.configurationFile} wins.
 */
public final class LibraryLogging {

    private static final String CONFIG = "io/fleetkit/ota/server/logging/logback.xml";

    private LibraryLogging() {
    }

    /** Call before the first use of HiveMQ or H2; later calls change nothing. */
    public static void configure() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", CONFIG);
        }
    }
}
