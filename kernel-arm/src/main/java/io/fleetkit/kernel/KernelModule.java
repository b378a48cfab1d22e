package io.fleetkit.kernel;

/**
 * A loadable module chosen for an image.
 *
 * @param name module name ({@code _} form)
 * @param path path relative to {@code lib/modules/<version>/}, e.g. {@code kernel/fs/fat/vfat.ko}
 * @param size file size in bytes as stored (compressed if the file is)
 */
public record KernelModule(String name, String path, long size) {
}
