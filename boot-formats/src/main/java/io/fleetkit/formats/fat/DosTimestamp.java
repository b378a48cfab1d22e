package io.fleetkit.formats.fat;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** FAT's packed date and time (2-second steps, 1980..2107), taken as UTC. */
record DosTimestamp(int date, int time, int tenths) {

    static DosTimestamp ofEpochSecond(long epochSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        if (t.getYear() < 1980) {
            t = LocalDateTime.of(1980, 1, 1, 0, 0);
        } else if (t.getYear() > 2107) {
            t = LocalDateTime.of(2107, 12, 31, 23, 59, 58);
        }
        int date = ((t.getYear() - 1980) << 9) | (t.getMonthValue() << 5) | t.getDayOfMonth();
        int time = (t.getHour() << 11) | (t.getMinute() << 5) | (t.getSecond() / 2);
        return new DosTimestamp(date, time, (t.getSecond() % 2) * 100);
    }
}
