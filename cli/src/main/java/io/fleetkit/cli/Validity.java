package io.fleetkit.cli;

import io.fleetkit.events.UsageException;
import java.time.Duration;
import picocli.CommandLine;

/** A certificate validity on the command line: {@code 365d}, {@code 2y} (a year is 365 days). */
final class Validity implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        if (!value.matches("[1-9][0-9]{0,4}[dy]")) {
            throw new UsageException("keys.bad-validity", "validity '" + value + "' is not a number of days or years", "e.g. --validity 365d or 3y");
        }
        long n = Long.parseLong(value.substring(0, value.length() - 1));
        return Duration.ofDays(value.endsWith("y") ? n * 365 : n);
    }
}
