package io.fleetkit.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScalarFormatsTest {

    @Test
    void readsBinaryAndDecimalSizeUnitsAsDifferentNumbers() {
        assertEquals(128L * 1024 * 1024, ScalarFormats.size("128MiB"));
        assertEquals(128_000_000L, ScalarFormats.size("128MB"));
        assertEquals(1L << 30, ScalarFormats.size("1GiB"));
        assertEquals(512L * 1024, ScalarFormats.size("512KiB"));
        assertEquals(4096L, ScalarFormats.size("4096"));
        assertEquals("'0MiB' must be larger than zero",
                assertThrows(IllegalArgumentException.class, () -> ScalarFormats.size("0MiB")).getMessage());
        assertEquals("'99999999999TiB' is too large",
                assertThrows(IllegalArgumentException.class, () -> ScalarFormats.size("99999999999TiB")).getMessage());
    }

    @Test
    void readsDurationsWithUnitsOnly() {
        assertEquals(Duration.ofSeconds(120), ScalarFormats.duration("120s"));
        assertEquals(Duration.ofMinutes(5), ScalarFormats.duration("5m"));
        assertEquals(Duration.ofMinutes(90), ScalarFormats.duration("1h30m"));
        assertEquals(Duration.ofMillis(500), ScalarFormats.duration("500ms"));
        assertThrows(IllegalArgumentException.class, () -> ScalarFormats.duration("120"));
        assertThrows(IllegalArgumentException.class, () -> ScalarFormats.duration("s"));
        assertThrows(IllegalArgumentException.class, () -> ScalarFormats.duration("5m 3s"));
    }

    @Test
    void acceptsSemverLikeVersionsOnly() {
        ScalarFormats.version("1.0.0");
        ScalarFormats.version("2.1.0-rc1");
        ScalarFormats.version("1.2.3+build.5");
        assertThrows(IllegalArgumentException.class, () -> ScalarFormats.version("01.0.0"));
        assertThrows(IllegalArgumentException.class, () -> ScalarFormats.version("1.0"));
    }

    @Test
    void readsOctalModeStrings() {
        assertEquals(0644, ScalarFormats.mode("0644"));
        assertEquals(0755, ScalarFormats.mode("755"));
        assertEquals(04755, ScalarFormats.mode("4755"));
        assertThrows(IllegalArgumentException.class, () -> ScalarFormats.mode("0648"));
        assertThrows(IllegalArgumentException.class, () -> ScalarFormats.mode("rw-r--r--"));
    }

    @Test
    void knowsAll41LinuxCapabilitiesByNumber() {
        assertEquals(41, LinuxCapabilities.NAMES.size());
        assertEquals(10, LinuxCapabilities.number("CAP_NET_BIND_SERVICE").getAsInt());
        assertEquals(40, LinuxCapabilities.number("CAP_CHECKPOINT_RESTORE").getAsInt());
        assertEquals("CAP_NET_ADMIN", LinuxCapabilities.canonical("net_admin").orElseThrow());
        assertEquals(true, LinuxCapabilities.canonical("CAP_FLY").isEmpty());
    }
}
