package io.fleetkit.formats.bootstate;

/** One of the two system slots: A is partition 2, B is partition 3 (DESIGN.md disk layout). */
public enum Slot {
    A(2), B(3);

    private final int partition;

    Slot(int partition) {
        this.partition = partition;
    }

    public int partition() {
        return partition;
    }

    public Slot other() {
        return this == A ? B : A;
    }

    public static Slot ofPartition(int partition) {
        return switch (partition) {
            case 2 -> A;
            case 3 -> B;
            default -> throw new IllegalArgumentException("partition " + partition + " is not a slot (2 = A, 3 = B)");
        };
    }

    /** Parses "A" or "B" (any case); null for anything else, including "none". */
    public static Slot parseOrNull(String s) {
        if (s == null) {
            return null;
        }
        return switch (s.strip().toUpperCase(java.util.Locale.ROOT)) {
            case "A" -> A;
            case "B" -> B;
            default -> null;
        };
    }
}
