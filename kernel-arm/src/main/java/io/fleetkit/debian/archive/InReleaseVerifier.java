package io.fleetkit.debian.archive;

import io.fleetkit.events.FleetkitException;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks an InRelease file as apt does: at least one signature in it must verify with a key
 * (or subkey) of the keyring, and its {@code Valid-Until}, if any, must not have passed.
 * Only the signed text is returned; the canonical form follows RFC 4880 (trailing spaces and
 * tabs dropped, CRLF line ends, dash-escaping undone).
 */
public final class InReleaseVerifier {

    /** Hashes that still resist collisions; MD5/SHA-1/RIPEMD-160 signatures are refused as apt does. */
    private static final Map<Integer, String> STRONG_HASHES = Map.of(
            HashAlgorithmTags.SHA224, "SHA224", HashAlgorithmTags.SHA256, "SHA256",
            HashAlgorithmTags.SHA384, "SHA384", HashAlgorithmTags.SHA512, "SHA512",
            HashAlgorithmTags.SHA3_256, "SHA3-256", HashAlgorithmTags.SHA3_512, "SHA3-512");

    private final OpenPgpKeyring keyring;
    private final Clock clock;

    public InReleaseVerifier(OpenPgpKeyring keyring, Clock clock) {
        this.keyring = keyring;
        this.clock = clock;
    }

    /** @param name what the file is, e.g. the URL it came from, for messages */
    public VerifiedRelease verify(byte[] inRelease, String name) {
        ClearsignedMessage message = ClearsignedMessage.parse(inRelease, name);
        List<PGPSignature> signatures = readSignatures(message.signatureArmor(), name);
        if (signatures.isEmpty()) {
            throw new FleetkitException("debian.unsigned", name + " carries no signature",
                    "check that the mirror URL points at a Debian archive");
        }
        byte[] signed = message.canonicalText();
        TreeSet<String> unknown = new TreeSet<>();
        List<String> bad = new ArrayList<>();
        for (PGPSignature sig : signatures) {
            long keyId = issuerKeyId(sig);
            PGPPublicKey key = keyring.find(keyId).orElse(null);
            if (key == null) {
                unknown.add(String.format("%016X", keyId));
                continue;
            }
            String problem = check(sig, key, signed, message.hashHeaders());
            if (problem == null) {
                return accept(message, name, key);
            }
            bad.add(String.format("%016X", keyId) + ": " + problem);
        }
        if (!bad.isEmpty()) {
            throw new FleetkitException("debian.bad-signature", name + ": signature does not verify ("
                    + String.join("; ", bad) + ")",
                    "the file was altered or damaged on the way; retry, or use another mirror");
        }
        throw new FleetkitException("debian.unknown-key", name + " is signed only by key(s) "
                + String.join(", ", unknown) + ", which are not in " + keyring.source(),
                "install or update the keyring (apt-get install debian-archive-keyring) or name the keyring that holds that key");
    }

    private VerifiedRelease accept(ClearsignedMessage message, String name, PGPPublicKey key) {
        String text = message.text();
        ReleaseFile release = ReleaseFile.parse(text);
        Instant now = clock.instant();
        if (release.validUntil().isPresent() && now.isAfter(release.validUntil().get())) {
            throw new FleetkitException("debian.release-expired", name + " was valid until "
                    + release.validUntil().get() + " and it is now " + now
                    + "; an expired Release may hide security updates (freeze attack)",
                    "fetch a fresh copy (run without --offline), or check the system clock");
        }
        return new VerifiedRelease(text, release, HexFormat.of().withUpperCase().formatHex(key.getFingerprint()));
    }

    /** Null when the signature is good, else why not. */
    private static String check(PGPSignature sig, PGPPublicKey key, byte[] signed, List<String> hashHeaders) {
        String hash = STRONG_HASHES.get(sig.getHashAlgorithm());
        if (hash == null) {
            return "weak or unknown hash algorithm " + sig.getHashAlgorithm();
        }
        if (!hashHeaders.isEmpty() && !hashHeaders.contains(hash)) {
            return "hash " + hash + " is not among the message's Hash headers " + hashHeaders;
        }
        int type = sig.getSignatureType();
        if (type != PGPSignature.CANONICAL_TEXT_DOCUMENT && type != PGPSignature.BINARY_DOCUMENT) {
            return "not a document signature (type " + type + ")";
        }
        if (key.hasRevocation()) {
            return "the key is revoked";
        }
        Instant created = sig.getCreationTime().toInstant();
        long validSeconds = key.getValidSeconds();
        if (validSeconds > 0 && created.isAfter(key.getCreationTime().toInstant().plusSeconds(validSeconds))) {
            return "the key had expired when the signature was made (" + created + ")";
        }
        try {
            sig.init(new BcPGPContentVerifierBuilderProvider(), key);
            sig.update(signed);   // for text signatures BouncyCastle keeps CRLF as is
            return sig.verify() ? null : "bad signature";
        } catch (PGPException e) {
            return "cannot verify: " + e.getMessage();
        }
    }

    private static long issuerKeyId(PGPSignature sig) {
        if (sig.getKeyID() != 0) {
            return sig.getKeyID();
        }
        IssuerFingerprint fp = sig.getHashedSubPackets() == null ? null : sig.getHashedSubPackets().getIssuerFingerprint();
        if (fp == null) {
            return 0;
        }
        byte[] f = fp.getFingerprint();
        long id = 0;
        for (int i = f.length - 8; i < f.length; i++) {   // a v4 key id is the low 64 bits of the fingerprint
            id = (id << 8) | (f[i] & 0xff);
        }
        return id;
    }

    private static List<PGPSignature> readSignatures(byte[] armor, String name) {
        List<PGPSignature> out = new ArrayList<>();
        try (ArmoredInputStream in = new ArmoredInputStream(new ByteArrayInputStream(armor))) {
            BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
            Object o;
            while ((o = factory.nextObject()) != null) {
                if (o instanceof PGPSignatureList list) {
                    list.forEach(out::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new FleetkitException("debian.unsigned", name + ": the signature block does not decode: " + e.getMessage(),
                    "the file was damaged on the way; retry, or use another mirror", e);
        }
        return out;
    }
}
