package io.fleetkit.debian.archive;

import io.fleetkit.events.FleetkitException;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Public keys trusted to sign archives: a binary keyring ({@code .gpg}) or an armored one ({@code .asc}). */
public final class OpenPgpKeyring {

    /** Where Debian's {@code debian-archive-keyring} package puts the archive keys. */
    public static final Path DEBIAN_ARCHIVE_KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");

    private final PGPPublicKeyRingCollection keys;
    private final String source;

    private OpenPgpKeyring(PGPPublicKeyRingCollection keys, String source) {
        this.keys = keys;
        this.source = source;
    }

    public static OpenPgpKeyring load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new FleetkitException("debian.keyring-missing", "keyring " + file + " does not exist",
                    "install the keyring (apt-get install debian-archive-keyring) or name another keyring file");
        }
    }

    /** Reads binary or armored key material; {@code source} names it in messages. */
    public static OpenPgpKeyring read(InputStream in, String source) throws IOException {
        try {
            return new OpenPgpKeyring(new PGPPublicKeyRingCollection(PGPUtil.getDecoderStream(in),
                    new BcKeyFingerprintCalculator()), source);
        } catch (PGPException e) {
            throw new FleetkitException("debian.keyring-invalid", "keyring " + source + " is not an OpenPGP keyring: "
                    + e.getMessage(), "point at a .gpg or .asc keyring file", e);
        }
    }

    /** The primary key or subkey with this key id. */
    Optional<PGPPublicKey> find(long keyId) {
        return Optional.ofNullable(keys.getPublicKey(keyId));
    }

    public int size() {
        return keys.size();
    }

    public String source() {
        return source;
    }
}
