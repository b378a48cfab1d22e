package io.fleetkit.debian.archive;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Date;

/** A signing key made in the test, and a cleartext signer written from RFC 4880 section 7 independently of the verifier. */
final class TestKeys {

    final PGPKeyPair pair;
    final byte[] publicKeyring;

    private TestKeys(PGPKeyPair pair, byte[] publicKeyring) {
        this.pair = pair;
        this.publicKeyring = publicKeyring;
    }

    static TestKeys ed25519(String uid) throws Exception {
        Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
        g.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        return of(new BcPGPKeyPair(PublicKeyAlgorithmTags.EDDSA_LEGACY, g.generateKeyPair(), new Date()), uid);
    }

    static TestKeys rsa(String uid) throws Exception {
        RSAKeyPairGenerator g = new RSAKeyPairGenerator();
        g.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), new SecureRandom(), 2048, 80));
        return of(new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, g.generateKeyPair(), new Date()), uid);
    }

    private static TestKeys of(PGPKeyPair pair, String uid) throws Exception {
        PGPKeyRingGenerator gen = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, uid,
                new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1), null, null,
                new BcPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256), null);
        return new TestKeys(pair, gen.generatePublicKeyRing().getEncoded());
    }

    /** Cleartext-signs {@code text} (LF line ends): dash-escapes, hashes lines without trailing blanks joined by CRLF. */
    byte[] clearsign(String text) throws Exception {
        String[] lines = text.split("\n", -1);
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
        PGPSignatureGenerator sg = new PGPSignatureGenerator(
                new BcPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256), pair.getPublicKey());
        sg.init(PGPSignature.CANONICAL_TEXT_DOCUMENT, pair.getPrivateKey());
        StringBuilder out = new StringBuilder("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n");
        for (int i = 0; i < count; i++) {
            String line = lines[i];
            if (i > 0) {
                sg.update("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            sg.update(line.replaceAll("[ \t]+$", "").getBytes(StandardCharsets.UTF_8));
            out.append(line.startsWith("-") ? "- " : "").append(line).append('\n');
        }
        ByteArrayOutputStream armor = new ByteArrayOutputStream();
        try (ArmoredOutputStream a = new ArmoredOutputStream(armor)) {
            sg.generate().encode(a);
        }
        out.append(armor.toString(StandardCharsets.US_ASCII));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
