package io.fleetkit.netboot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** --assign entries over the fleet's own assignments (a stand-in here; the CLI wires the real one). */
class AssignmentTableOverFleetTest {

    private static final String IN_FLEET = "dc:a6:32:01:02:03";
    private static final Assignments FLEET = client -> IN_FLEET.equals(client.mac()) ? Optional.of("lab-image") : Optional.empty();

    @Test
    void tableEntriesWinOverTheFleetWhichWinsOverTheTableDefault() {
        Assignments both = AssignmentTable.parse(List.of("dc:a6:32:0a:0b:0c=pinned", "default=fallback"), "--assign").over(FLEET);
        assertEquals(Optional.of("lab-image"), both.imageFor(ClientIdentity.ofMac(IN_FLEET)));
        assertEquals(Optional.of("fallback"), both.imageFor(ClientIdentity.ofMac("dc:a6:32:99:99:99")));
        assertEquals(Optional.of("pinned"), both.imageFor(ClientIdentity.ofMac("dc:a6:32:0a:0b:0c")));
    }

    @Test
    void aTableEntryNamingTheDefaultImageCountsAsTheDefault() {
        Assignments table = AssignmentTable.parse(List.of(IN_FLEET + "=fallback", "default=fallback"), "--assign").over(FLEET);
        assertEquals(Optional.of("lab-image"), table.imageFor(ClientIdentity.ofMac(IN_FLEET)));
        Assignments pinned = AssignmentTable.parse(List.of(IN_FLEET + "=pinned"), "--assign").over(FLEET);
        assertEquals(Optional.of("pinned"), pinned.imageFor(ClientIdentity.ofMac(IN_FLEET)));
        assertEquals(Optional.empty(), pinned.imageFor(ClientIdentity.ofMac("dc:a6:32:99:99:99")));
    }
}
