package io.fleetkit.ota.agent;

import io.fleetkit.ota.bundle.VerifiedManifest;

import java.io.IOException;

/**
 * Where a download of the current update hands what it fetched, on the agent's thread: the signed
 * header, then the payload chunks, each verified already, strictly in order. The MQTT chunk
 * download ({@link ChunkDownload}) and the HTTP download ({@link HttpDownload}) differ only in how
 * the bytes travel; both deliver to one of these, which writes each chunk into the target slot
 * and records it.
 */
interface DownloadReceiver {

    /** Verifies and keeps the signed header; throws the refusal if it is not acceptable; null when the download is no longer wanted. */
    VerifiedManifest header(byte[] bytes) throws IOException;

    /**
     * Writes verified chunk {@code index}, the next one, into the slot and records it; false when
     * the download is no longer wanted (it is complete, replaced or stopped).
     */
    boolean chunk(int index, byte[] data) throws IOException;
}
