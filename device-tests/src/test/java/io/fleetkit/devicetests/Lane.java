package io.fleetkit.devicetests;

/**
 * Which of the parallel test JVMs this is: surefire runs the device tests in two forks at once
 * (a TCG guest keeps about one of the two host cores busy), and passes each its fork number as
 * {@code fleetkit.lane}; alone (an IDE, {@code -Dtest=...}) it is lane 1. Each lane has its own
 * build directory and fleet-server port, and its images dial that port, so two lanes never share a
 * fleet server, a disk image or a build in progress — a device of one lane cannot join the other's
 * rollout.
 */
final class Lane {

    static final int NUMBER = number(System.getProperty("fleetkit.lane", "lane-1"));

    /**
     * The examples dial the host's 8883 with TLS (10.0.2.2 on qemu's user network); lane N uses 8883 + N - 1. A second
     * checkout running its device tests on the same machine at once sets {@code -Dfleetkit.portBase=N} (e.g. 3883):
     * its images then dial N + lane - 1 and the two runs never share a server.
     */
    static final int BROKER_PORT = Integer.getInteger("fleetkit.portBase", 8883) + NUMBER - 1;

    private static final String EXAMPLE_SERVER = "ssl://10.0.2.2:8883";

    private Lane() {
    }

    /** "lane-N" (the pom's systemPropertyVariables) to N; anything else is a configuration error, not lane 1. */
    static int number(String property) {
        if (!property.matches("lane-[1-9][0-9]*")) {
            throw new IllegalStateException("fleetkit.lane is '" + property + "', expected lane-N (device-tests/pom.xml sets it"
                    + " from surefire's fork number)");
        }
        return Integer.parseInt(property.substring("lane-".length()));
    }

    /** {@code spec} with the examples' fleet server replaced by this lane's. */
    static String dialThisLane(String spec) {
        return spec.replace(EXAMPLE_SERVER, "ssl://10.0.2.2:" + BROKER_PORT);
    }
}
