package io.fleetkit.debian;

import java.io.IOException;
import java.io.InputStream;

/** Receives the entries of a package's data.tar in archive order. */
@FunctionalInterface
public interface DebEntryVisitor {

    /**
     * @param content the file's bytes for {@link DebEntry.Type#FILE}, empty otherwise; valid only
     *                during this call, and closing it is harmless
     */
    void visit(DebEntry entry, InputStream content) throws IOException;
}
