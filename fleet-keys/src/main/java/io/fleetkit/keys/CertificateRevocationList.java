package io.fleetkit.keys;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.ota.bundle.PemKeys;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TreeMap;

/**
 * The fleet CA's certificate revocation list, for an external broker (Mosquitto's {@code crlfile}): made
 * where the CA key is, from the serials revoked so far, which {@value #LEDGER} in the key directory keeps
 * (one {@code <serial hex> <epoch seconds>} a line), so each run adds to the list and writes it whole.
 * The embedded broker does not need it: the fleet database holds its revocations.
 */
public final class CertificateRevocationList {

    public static final String LEDGER = "revoked-serials.txt";
    /** How long a CRL is valid; Mosquitto refuses every client once it has expired, so renew it before (monthly, say). */
    public static final Duration VALIDITY = Duration.ofDays(90);

    private CertificateRevocationList() {
    }

    /** Adds {@code serials} (hex) to the key directory's ledger and returns the CRL of every serial in it, as PEM. */
    public static String revoke(Path keyDir, FleetKeys keys, List<String> serials, Clock clock) throws IOException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Path ledger = keyDir.resolve(LEDGER);
        TreeMap<BigInteger, Instant> revoked = read(ledger);
        for (String s : serials) {
            revoked.putIfAbsent(parseSerial(s), now);
        }
        StringBuilder text = new StringBuilder();
        revoked.forEach((serial, at) -> text.append(serial.toString(16)).append(' ').append(at.getEpochSecond()).append('\n'));
        KeyFiles.replace(ledger, text.toString(), KeyFiles.PUBLIC);
        return pem(keys, revoked, now);
    }

    private static String pem(FleetKeys keys, TreeMap<BigInteger, Instant> revoked, Instant now) {
        X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(keys.caCertificate().getSubjectX500Principal().getEncoded()),
                Date.from(now));
        b.setNextUpdate(Date.from(now.plus(VALIDITY)));
        revoked.forEach((serial, at) -> b.addCRLEntry(serial, Date.from(at), CRLReason.unspecified));
        try {
            String alg = keys.caKey().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            byte[] der = b.build(new JcaContentSignerBuilder(alg).build(keys.caKey())).getEncoded();
            return PemKeys.pem("X509 CRL", der);
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot sign the CRL: " + e.getMessage(), e);
        }
    }

    private static TreeMap<BigInteger, Instant> read(Path ledger) throws IOException {
        TreeMap<BigInteger, Instant> revoked = new TreeMap<>();
        if (!Files.exists(ledger)) {
            return revoked;
        }
        List<String> bad = new ArrayList<>();
        for (String line : Files.readAllLines(ledger, StandardCharsets.US_ASCII)) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[1].matches("\\d{1,12}")) {
                revoked.put(parseSerial(f[0]), Instant.ofEpochSecond(Long.parseLong(f[1])));
            } else if (!line.isBlank()) {
                bad.add(line);
            }
        }
        if (!bad.isEmpty()) {
            throw new FleetkitException("keys.bad-ledger", ledger + " has lines that are not '<serial hex> <epoch seconds>': " + bad,
                    "Fix or remove those lines; every other line is a revoked certificate.");
        }
        return revoked;
    }

    private static BigInteger parseSerial(String hex) {
        String h = hex.replace(":", "").toLowerCase(java.util.Locale.ROOT);
        if (!h.matches("[0-9a-f]{1,40}")) {
            throw new FleetkitException("keys.bad-serial", "'" + hex + "' is not a certificate serial in hex",
                    "Give the serial as `fleet device show ID` or `openssl x509 -serial` prints it.");
        }
        return new BigInteger(h, 16);
    }
}
