package io.fleetkit.ota.server.rollout;

import io.fleetkit.events.FleetkitException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which rollout an operator's command means. With an id, that rollout. Without one, {@code status}
 * means the newest rollout, and {@code pause}, {@code resume} and {@code abort} mean the one
 * active rollout: with none or several active they refuse and say which to name, rather than
 * guess (the newest rollout may well be finished while an older one still runs).
 */
final class RolloutChoice {

    /**
     * An operator's state change: the states it moves a rollout from, the state it moves it to, and the states in
     * which there is nothing left to do (the command then succeeds without a change: a script that pauses a rollout
     * the engine paused a moment ago has what it asked for).
     */
    record Verb(String name, Set<RolloutState> from, RolloutState to, Set<RolloutState> alreadyDone) {
    }

    static final Verb PAUSE = new Verb("pause", EnumSet.of(RolloutState.CREATED, RolloutState.RUNNING), RolloutState.PAUSED,
            EnumSet.of(RolloutState.PAUSED));
    /** A created rollout counts as running: the engine's next tick starts it. */
    static final Verb RESUME = new Verb("resume", EnumSet.of(RolloutState.PAUSED), RolloutState.RUNNING,
            EnumSet.of(RolloutState.CREATED, RolloutState.RUNNING));
    static final Verb ABORT = new Verb("abort", EnumSet.of(RolloutState.CREATED, RolloutState.RUNNING, RolloutState.PAUSED),
            RolloutState.ABORTED, EnumSet.of(RolloutState.ABORTED));

    private RolloutChoice() {
    }

    /** The rollout named {@code id}, or when null the newest one. */
    static Rollout named(Connection c, RolloutStore rollouts, String id) throws SQLException {
        if (id != null) {
            return rollouts.find(c, id).orElseThrow(() -> new FleetkitException("rollout.unknown", "no rollout " + id,
                    "List them with `fleet rollout status`."));
        }
        List<Rollout> all = rollouts.list(c);
        if (all.isEmpty()) {
            throw new FleetkitException("rollout.none", "there are no rollouts yet", "Start one: fleet rollout VERSION");
        }
        return all.get(all.size() - 1);
    }

    /** The rollout named {@code id}, or when null the only active one; refuses when that is not one rollout. */
    static Rollout forChange(Connection c, RolloutStore rollouts, String id, Verb verb) throws SQLException {
        if (id != null) {
            return named(c, rollouts, id);
        }
        List<Rollout> active = rollouts.inStates(c, RolloutState.CREATED, RolloutState.RUNNING, RolloutState.PAUSED);
        if (active.size() == 1) {
            return active.get(0);
        }
        if (active.isEmpty()) {
            List<Rollout> all = rollouts.list(c);
            String newest = all.isEmpty() ? "there are no rollouts yet"
                    : "the newest, " + all.get(all.size() - 1).id() + ", is " + all.get(all.size() - 1).state();
            throw new FleetkitException("rollout.none-active", "no rollout to " + verb.name() + ": none is active (" + newest + ")",
                    "Nothing to do; `fleet rollout status` shows the rollouts.");
        }
        String names = active.stream().map(r -> r.id() + " (" + r.state() + ")").collect(Collectors.joining(", "));
        throw new FleetkitException("rollout.ambiguous", "which rollout? " + active.size() + " are active: " + names,
                "Name one: fleet rollout " + verb.name() + " " + active.get(active.size() - 1).id());
    }

    static FleetkitException notIn(Rollout r, Verb verb) {
        return new FleetkitException("rollout.bad-state", "cannot " + verb.name() + " rollout " + r.id() + ": it is " + r.state(),
                r.state().isActive() ? null : "It has ended; start a new one: fleet rollout VERSION");
    }
}
