package io.fleetkit.ota.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRangeTest {

    private static final long SIZE = 1000;
    private static final HttpRange WHOLE = HttpRange.whole(SIZE);
    private static final HttpRange UNSATISFIABLE = HttpRange.unsatisfiable(SIZE);

    private static HttpRange partial(long first, long last) {
        return HttpRange.partial(first, last, SIZE);
    }

    @Test
    void noHeaderMeansTheWholeBodyEvenAnEmptyOne() {
        assertEquals(new HttpRange(200, 0, SIZE, Optional.empty()), HttpRange.decide(null, SIZE));
        assertEquals(new HttpRange(200, 0, 0, Optional.empty()), HttpRange.decide(null, 0));
    }

    @Test
    void servesTheThreeFormsOfASingleRange() {
        assertEquals(partial(0, 9), HttpRange.decide("bytes=0-9", SIZE));
        assertEquals(partial(990, 999), HttpRange.decide("bytes=990-", SIZE));
        assertEquals(partial(993, 999), HttpRange.decide("bytes=-7", SIZE));
        assertEquals(partial(999, 999), HttpRange.decide("bytes=999-999", SIZE));
        assertEquals(new HttpRange(206, 0, 10, Optional.of("bytes 0-9/1000")), HttpRange.decide("bytes=0-9", SIZE));
    }

    @Test
    void clampsTheEndAndALongSuffixToTheBody() {
        assertEquals(partial(500, 999), HttpRange.decide("bytes=500-5000", SIZE));
        assertEquals(partial(0, 999), HttpRange.decide("bytes=-5000", SIZE));
    }

    @Test
    void theUnitIsCaseInsensitiveAndSpaceAroundTheListIsAllowed() {
        assertEquals(partial(1, 2), HttpRange.decide("Bytes=1-2", SIZE));
        assertEquals(partial(1, 2), HttpRange.decide("BYTES= 1-2 ", SIZE));
        assertEquals(partial(1, 2), HttpRange.decide("bytes=1-2,", SIZE), "an empty list element is ignored");
    }

    @Test
    void rangesPastTheEndAndAZeroSuffixAreUnsatisfiable() {
        assertEquals(UNSATISFIABLE, HttpRange.decide("bytes=1000-", SIZE));
        assertEquals(UNSATISFIABLE, HttpRange.decide("bytes=1000-2000", SIZE));
        assertEquals(UNSATISFIABLE, HttpRange.decide("bytes=-0", SIZE));
        assertEquals(UNSATISFIABLE, HttpRange.decide("bytes=2000-,3000-", SIZE));
        assertEquals(new HttpRange(416, 0, 0, Optional.of("bytes */1000")), HttpRange.decide("bytes=1000-", SIZE));
    }

    @Test
    void aRangeEndingBeforeItStartsIsRejected() {
        assertEquals(UNSATISFIABLE, HttpRange.decide("bytes=5-2", SIZE));
        assertEquals(UNSATISFIABLE, HttpRange.decide("bytes=0-1,5-2", SIZE), "one invalid range rejects the header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bytes", "bytes=", "bytes=,", "bytes=abc", "bytes=-", "bytes=1-2-3", "bytes=--5",
        "bytes=1 - 2", "bytes=+1-2", "bytes=0x10-20", "bytes=1-+2", "bytes==1-2", "bytes 0-5", "items=0-5", "=0-5",
        "bytes=0-1,x", "bytes=\u0661-2"})
    void aHeaderOutsideTheGrammarOrInAnotherUnitIsIgnored(String header) {
        assertEquals(WHOLE, HttpRange.decide(header, SIZE), header);
    }

    @Test
    void positionsTooLargeForALongArePastAnyBody() {
        assertEquals(UNSATISFIABLE, HttpRange.decide("bytes=99999999999999999999999-", SIZE));
        assertEquals(partial(0, 999), HttpRange.decide("bytes=0-99999999999999999999999", SIZE));
        assertEquals(partial(0, 999), HttpRange.decide("bytes=-99999999999999999999999", SIZE));
        assertEquals(HttpRange.partial(Long.MAX_VALUE - 1, Long.MAX_VALUE - 1, Long.MAX_VALUE),
                HttpRange.decide("bytes=9223372036854775806-9223372036854775806", Long.MAX_VALUE));
    }

    @Test
    void severalRangesGetTheWholeBodyWhenAnyIsSatisfiable() {
        assertEquals(WHOLE, HttpRange.decide("bytes=0-1,5-6", SIZE));
        assertEquals(WHOLE, HttpRange.decide("bytes=0-1, 2000-", SIZE));
    }

    @Test
    void anEmptyBodyHasNoRangeToSend() {
        assertEquals(HttpRange.unsatisfiable(0), HttpRange.decide("bytes=0-", 0));
        assertEquals(HttpRange.unsatisfiable(0), HttpRange.decide("bytes=-0", 0));
        assertEquals(HttpRange.whole(0), HttpRange.decide("bytes=-5", 0), "a non-zero suffix is satisfiable, but 206 cannot describe nothing");
    }
}
