package io.fleetkit.ota.server.rollout;

/** One step of a {@link PhasePlan}: how far the rollout reaches by the end of a phase. */
public sealed interface PhaseStep {

    /** Devices reached by the end of this phase, given those reached before it and the rollout's size. */
    int reach(int reachedBefore, int devices);

    /** {@code n} more devices than the phase before. */
    record Count(int n) implements PhaseStep {
        @Override
        public int reach(int reachedBefore, int devices) {
            return reachedBefore + n;
        }

        @Override
        public String toString() {
            return Integer.toString(n);
        }
    }

    /** {@code percent} of all selected devices in total, rounded up. {@code text} is how the user wrote it. */
    record Share(double percent, String text) implements PhaseStep {
        @Override
        public int reach(int reachedBefore, int devices) {
            return (int) Math.ceil(devices * percent / 100.0 - 1e-9);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
