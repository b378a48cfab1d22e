package io.fleetkit.cli;

import io.fleetkit.events.Event;

/** One line describing progress: a bar when the total is known, amounts, rate and time left. */
final class ProgressText {

    private static final int BAR_WIDTH = 24;

    private ProgressText() {
    }

    static String describe(Event.Progress p, double seconds) {
        boolean bytes = p.unit() == Event.Unit.BYTES;
        String done = bytes ? ByteSize.format(p.done()) : Long.toString(p.done());
        StringBuilder sb = new StringBuilder(p.task()).append(' ');
        if (p.total() > 0) {
            double fraction = Math.min(1.0, (double) p.done() / p.total());
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            sb.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
            sb.append(String.format("%3d%% ", Math.round(fraction * 100)));
            sb.append(done).append(" / ").append(bytes ? ByteSize.format(p.total()) : Long.toString(p.total()));
        } else {
            sb.append(done);
        }
        double rate = p.done() / seconds;
        if (bytes && seconds > 0.2) {
            sb.append(String.format("  %s/s", ByteSize.format((long) rate)));
        }
        if (p.total() > 0 && p.done() < p.total() && rate > 0 && seconds > 0.5) {
            long left = (long) ((p.total() - p.done()) / rate);
            sb.append(String.format("  ETA %d:%02d", left / 60, left % 60));
        }
        return sb.toString();
    }
}
