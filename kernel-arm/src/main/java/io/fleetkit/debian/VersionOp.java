package io.fleetkit.debian;

/** The version operators of Debian relation fields. */
public enum VersionOp {
    EARLIER("<<"), EARLIER_OR_EQUAL("<="), EQUAL("="), LATER_OR_EQUAL(">="), LATER(">>");

    private final String symbol;

    VersionOp(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** Parses an operator; the obsolete '<' and '>' mean '<=' and '>=' as dpkg reads them. */
    static VersionOp parse(String s) {
        return switch (s) {
            case "<<" -> EARLIER;
            case "<=", "<" -> EARLIER_OR_EQUAL;
            case "=" -> EQUAL;
            case ">=", ">" -> LATER_OR_EQUAL;
            case ">>" -> LATER;
            default -> null;
        };
    }

    /** Whether {@code actual op required} holds. */
    public boolean test(DebianVersion actual, DebianVersion required) {
        int c = actual.compareTo(required);
        return switch (this) {
            case EARLIER -> c < 0;
            case EARLIER_OR_EQUAL -> c <= 0;
            case EQUAL -> c == 0;
            case LATER_OR_EQUAL -> c >= 0;
            case LATER -> c > 0;
        };
    }
}
