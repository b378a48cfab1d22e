package io.fleetkit.build;

/**
 * The init's way to its disk when the command line names it by partition UUID
 * ({@code fleetkit.disk=PARTUUID=1a2b3c4d-02}, what U-Boot's boot script says of the slot it
 * booted): the disk whose MBR signature is the UUID's first part. No device name is assumed, so
 * it does not matter whether the SD card is {@code mmcblk0} or {@code mmcblk1} (a Pi 4's Wi-Fi SDHCI
 * may probe first). Whichever way the disk was named, {@code /dev/fleetkit-disk} then points at it;
 * the update agent opens that.
 */
final class DiskByPartuuid {

    static final String LINK = "/dev/fleetkit-disk";

    /** Shell for rc.boot: reads and rewrites {@code $disk}. */
    static final String SHELL = """
            case "$disk" in
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

    private DiskByPartuuid() {
    }
}
