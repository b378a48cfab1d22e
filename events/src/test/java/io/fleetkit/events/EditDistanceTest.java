package io.fleetkit.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EditDistanceTest {

    @Test
    void equalWordsAreNoEditApart() {
        assertEquals(0, EditDistance.between("virtio_blk", "virtio_blk"));
        assertEquals(0, EditDistance.between("", ""));
    }

    @Test
    void countsInsertionsDeletionsAndSubstitutions() {
        assertEquals(1, EditDistance.between("servces", "services"));
        assertEquals(1, EditDistance.between("virtio_blkk", "virtio_blk"));
        assertEquals(2, EditDistance.between("virtio-blok", "virtio_blk"));
        assertEquals(3, EditDistance.between("kitten", "sitting"));
        assertEquals(4, EditDistance.between("", "abcd"));
        assertEquals(4, EditDistance.between("abcd", ""));
    }

    @Test
    void aSwapOfNeighbouringLettersIsOneEdit() {
        assertEquals(1, EditDistance.between("sevrices", "services"));
        assertEquals(1, EditDistance.between("ab", "ba"));
    }

    @Test
    void isSymmetric() {
        for (String[] p : new String[][] {{"CAP_NET_ADMN", "CAP_NET_ADMIN"}, {"ca", "abc"}, {"vfta", "vfat"}}) {
            assertEquals(EditDistance.between(p[0], p[1]), EditDistance.between(p[1], p[0]), p[0] + " / " + p[1]);
        }
    }
}
