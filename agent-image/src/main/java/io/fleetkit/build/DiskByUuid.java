package io.fleetkit.build;

/**
 * The init's way to its disk when the command line names it by a UUID rather than a device name:
 * <ul>
 * <li>{@code fleetkit.disk=PARTUUID=1a2b3c4d-02}, what U-Boot's boot script says of the slot it booted: the disk
 *     whose MBR signature is the UUID's first part;</li>
 * <li>{@code fleetkit.disk=UUID=1A2B-3C4D}, what a firmware-tryboot slot's own {@code cmdline.txt} says: the disk
 *     with a partition whose FAT volume id that is, i.e. the disk that holds the slot itself. The firmware passes
 *     {@code cmdline.txt} unchanged, and a slot is the same bytes in A and B and on disks flashed from other versions
 *     (whose MBR signatures differ), so the slot cannot know a partition UUID; it knows its own volume id.</li>
 * </ul>
 * No device name is assumed, so it does not matter whether the SD card is {@code mmcblk0} or {@code mmcblk1} (a Pi 4's
 * Wi-Fi SDHCI may probe first). Whichever way the disk was named, {@code /dev/fleetkit-disk} then points at it;
 * the update agent opens that.
 */
final class DiskByUuid {

    static final String LINK = "/dev/fleetkit-disk";

    /** How a FAT volume id appears in {@code fleetkit.disk=UUID=} (as blkid shows a FAT file system's UUID). */
    static String fatUuid(int volumeId) {
        return String.format(java.util.Locale.ROOT, "UUID=%04X-%04X", volumeId >>> 16, volumeId & 0xffff);
    }

    /**
     * Shell for rc.boot: reads and rewrites {@code $disk}. A FAT volume id is at byte 39 of a FAT12/16 boot sector and
     * byte 67 of a FAT32 one; both are compared (a slot's FAT type follows its size).
     */
    static final String SHELL = """
            case "$disk" in
              UUID=*)
                want=$(echo "${disk#UUID=}" | tr -d - | tr A-F a-f); disk=
                n=0
                while [ -z "$disk" ] && [ $n -lt 100 ]; do
                  for p in /sys/block/*/*/partition; do
                    part=${p%/partition}; d=${part%/*}; d=/dev/${d##*/}; pdev=/dev/${part##*/}
                    [ -b "$pdev" ] || continue
                    for off in 39 67; do
                      [ "$(od -An -tx4 -j$off -N4 "$pdev" 2>/dev/null | tr -d ' ')" = "$want" ] && disk=$d
                    done
                    [ -n "$disk" ] && break
                  done
                  [ -n "$disk" ] || { sleep 0.1; n=$((n+1)); }
                done
                if [ -n "$disk" ]; then
                  echo "fleetkit: disk $disk (slot file system UUID ${want%????}-${want#????})"
                else
                  echo "fleetkit: no disk holds the file system $want; /data stays in RAM"
                fi
                ;;
              PARTUUID=*)
                want=${disk#PARTUUID=}; want=${want%-*}; disk=
                n=0
                while [ -z "$disk" ] && [ $n -lt 100 ]; do
                  for b in /sys/block/*; do
                    d=/dev/${b##*/}
                    [ -b "$d" ] || continue
                    sig=$(od -An -tx4 -j440 -N4 "$d" 2>/dev/null | tr -d ' ')
                    if [ "$sig" = "$want" ]; then disk=$d; break; fi
                  done
                  [ -n "$disk" ] || { sleep 0.1; n=$((n+1)); }
                done
                if [ -n "$disk" ]; then
                  echo "fleetkit: disk $disk (disk signature $want)"
                else
                  echo "fleetkit: no disk has the signature $want; /data stays in RAM"
                fi
                ;;
            esac
            [ -n "$disk" ] && ln -sfn "${disk#/dev/}" /dev/fleetkit-disk
            """;

    private DiskByUuid() {
    }
}
