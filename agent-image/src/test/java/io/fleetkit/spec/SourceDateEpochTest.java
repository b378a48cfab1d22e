package io.fleetkit.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetkit.events.FleetkitException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceDateEpochTest {

    private static final String BASE = "name: a\nversion: 1.0.0\nboard: rpi4\n";

    @Test
    void environmentVariableWinsOverTheSpec() {
        ImageSpec spec = SpecLoader.loadString("a.yml", BASE + "source_date_epoch: 1700000000\n");
        assertEquals(Instant.ofEpochSecond(1_650_000_000L),
                SourceDateEpoch.of(spec, Map.of("SOURCE_DATE_EPOCH", "1650000000")));
    }

    @Test
    void specValueIsUsedWithoutTheVariable() {
        ImageSpec spec = SpecLoader.loadString("a.yml", BASE + "source_date_epoch: 1700000000\n");
        assertEquals(Instant.ofEpochSecond(1_700_000_000L), SourceDateEpoch.of(spec, Map.of()));
    }

    @Test
    void defaultsToTheStartOf1980TheEarliestFatTime() {
        ImageSpec spec = SpecLoader.loadString("a.yml", BASE);
        assertEquals(Instant.parse("1980-01-01T00:00:00Z"), SourceDateEpoch.of(spec, Map.of()));
    }

    @Test
    void rejectsAVariableThatIsNotSecondsFrom1980() {
        ImageSpec spec = SpecLoader.loadString("a.yml", BASE);
        FleetkitException e = assertThrows(FleetkitException.class,
                () -> SourceDateEpoch.of(spec, Map.of("SOURCE_DATE_EPOCH", "yesterday")));
        assertEquals("spec.source-date-epoch", e.code());
        assertEquals("SOURCE_DATE_EPOCH='yesterday' is not a number of seconds since 1970 between 315532800"
                + " (1980-01-01, the earliest FAT time) and 2147483647", e.getMessage());
        assertThrows(FleetkitException.class, () -> SourceDateEpoch.of(spec, Map.of("SOURCE_DATE_EPOCH", "0")));
    }

    @Test
    void rejectsASpecValueBefore1980() {
        SpecException e = assertThrows(SpecException.class,
                () -> SpecLoader.loadString("a.yml", BASE + "source_date_epoch: 0\n"));
        assertEquals("invalid image spec (1 problem):\n"
                + "a.yml:4:20: source_date_epoch: expected a whole number from 315532800 to 2147483647, got the number 0",
                e.getMessage());
    }
}
