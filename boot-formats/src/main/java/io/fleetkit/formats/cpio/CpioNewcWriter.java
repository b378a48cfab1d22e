package io.fleetkit.formats.cpio;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a cpio archive in the "newc" format (magic 070701) that the Linux kernel unpacks as
 * an initramfs. Entries are written in the order given (parents before children is the
 * caller's job); inode numbers count up from 1 and every entry carries the one mtime given,
 * so the same calls give the same bytes. Paths are stored without a leading '/'.
 */
public final class CpioNewcWriter implements Closeable {

    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final String TRAILER = "TRAILER!!!";

    private final OutputStream out;
    private final long mtime;
    private long written;
    private int nextInode = 1;
    private boolean finished;

    /** @param mtimeEpochSecond the modification time of every entry (SOURCE_DATE_EPOCH) */
    public CpioNewcWriter(OutputStream out, long mtimeEpochSecond) {
        this.out = out;
        this.mtime = mtimeEpochSecond;
    }

    /** {@code permissions} are the low 12 mode bits (e.g. 0755); the file type is added here. */
    public void directory(String path, int permissions, int uid, int gid) throws IOException {
        header(path, S_IFDIR | perms(permissions), uid, gid, 2, 0, 0, 0, nextInode++);
    }

    public void file(String path, int permissions, int uid, int gid, byte[] content) throws IOException {
        file(path, permissions, uid, gid, content.length, new java.io.ByteArrayInputStream(content));
    }

    /** Copies exactly {@code size} bytes from {@code content}; a shorter stream is an error. */
    public void file(String path, int permissions, int uid, int gid, long size, InputStream content)
            throws IOException {
        header(path, S_IFREG | perms(permissions), uid, gid, 1, size, 0, 0, nextInode++);
        data(content, size, path);
    }

    public void symlink(String path, String target, int uid, int gid) throws IOException {
        byte[] t = target.getBytes(StandardCharsets.UTF_8);
        header(path, S_IFLNK | 0777, uid, gid, 1, t.length, 0, 0, nextInode++);
        data(new java.io.ByteArrayInputStream(t), t.length, path);
    }

    public void charDevice(String path, int permissions, int uid, int gid, int major, int minor)
            throws IOException {
        header(path, S_IFCHR | perms(permissions), uid, gid, 1, 0, major, minor, nextInode++);
    }

    public void blockDevice(String path, int permissions, int uid, int gid, int major, int minor)
            throws IOException {
        header(path, S_IFBLK | perms(permissions), uid, gid, 1, 0, major, minor, nextInode++);
    }

    public void fifo(String path, int permissions, int uid, int gid) throws IOException {
        header(path, S_IFIFO | perms(permissions), uid, gid, 1, 0, 0, 0, nextInode++);
    }

    /**
     * One regular file under several names. As newc requires, all entries share an inode and
     * the link count, and only the last carries the data.
     */
    public void hardLinkedFile(List<String> paths, int permissions, int uid, int gid, byte[] content)
            throws IOException {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("a hard-linked file needs at least one path");
        }
        int inode = nextInode++;
        for (int i = 0; i < paths.size(); i++) {
            boolean last = i == paths.size() - 1;
            header(paths.get(i), S_IFREG | perms(permissions), uid, gid, paths.size(),
                    last ? content.length : 0, 0, 0, inode);
            if (last) {
                data(new java.io.ByteArrayInputStream(content), content.length, paths.get(i));
            }
        }
    }

    /** Writes the trailer. The stream is left open. */
    public void finish() throws IOException {
        if (!finished) {
            finished = true;
            writeHeader(TRAILER, 0, 0, 0, 1, 0, 0, 0, 0, 0);
            out.flush();
        }
    }

    /** Bytes written so far. */
    public long size() {
        return written;
    }

    @Override
    public void close() throws IOException {
        finish();
        out.close();
    }

    private void header(String path, int mode, int uid, int gid, int nlink, long size, int rmajor, int rminor,
                        int inode) throws IOException {
        if (finished) {
            throw new IllegalStateException("archive already finished");
        }
        String name = path.replaceFirst("^/+", "");
        if (name.isEmpty() || name.equals(TRAILER) || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad cpio path '" + path + "'");
        }
        if (size > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("'" + path + "' is larger than newc's 4 GiB limit");
        }
        writeHeader(name, inode, mode, uid, gid, nlink, size, rmajor, rminor, mtime);
    }

    private void writeHeader(String name, int inode, int mode, int uid, int gid, int nlink, long size,
                             int rmajor, int rminor, long time) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("070701");
        for (long v : new long[] {inode, mode, uid, gid, nlink, time, size, 0, 0, rmajor, rminor,
                nameBytes.length + 1, 0}) {
            h.append(String.format("%08X", v & 0xFFFFFFFFL));
        }
        write(h.toString().getBytes(StandardCharsets.US_ASCII));
        write(nameBytes);
        write(new byte[1]);
        pad();
    }

    private void data(InputStream in, long size, String path) throws IOException {
        byte[] buf = new byte[(int) Math.min(1 << 16, Math.max(1, size))];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("content of '" + path + "' ended " + left + " bytes early");
            }
            out.write(buf, 0, n);
            written += n;
            left -= n;
        }
        pad();
    }

    private void write(byte[] b) throws IOException {
        out.write(b);
        written += b.length;
    }

    private void pad() throws IOException {
        int pad = (int) ((4 - written % 4) % 4);
        write(new byte[pad]);
    }

    private static int perms(int permissions) {
        if ((permissions & ~07777) != 0) {
            throw new IllegalArgumentException("permissions " + Integer.toOctalString(permissions)
                    + " carry file-type bits; pass only the low 12 bits");
        }
        return permissions;
    }
}
