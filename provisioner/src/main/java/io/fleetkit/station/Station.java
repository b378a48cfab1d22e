package io.fleetkit.station;

import io.fleetkit.events.EventSink;
import io.fleetkit.events.FleetkitException;
import io.fleetkit.flash.FlashOptions;
import io.fleetkit.flash.ImagePass;
import io.fleetkit.flash.ImageSource;
import io.fleetkit.flash.TargetKind;
import io.fleetkit.flash.TargetSafety;
import io.fleetkit.flash.TargetVerifier;
import io.fleetkit.flash.TargetWriter;
import io.fleetkit.flash.WriteInterceptor;
import io.fleetkit.identity.BootIdentityWriter;
import io.fleetkit.identity.DeviceCredentials;
import io.fleetkit.identity.DeviceIdPattern;
import io.fleetkit.identity.DeviceSettings;
import io.fleetkit.keys.FleetKeys;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A factory provisioning station: writes one image to several devices at once from a single
 * reading pass, gives each device its own id, key pair and certificate from the fleet CA (the
 * private key goes to the card only), reads each device back, and records every step in
 * {@link StationRecords}. One device failing never stops the others.
 */
public final class Station {

    private static final String TASK = "station";

    private final StationRecords records;
    private final FleetKeys keys;
    private final DeviceIdPattern idPattern;
    private final DeviceSettings settings;
    private final FlashOptions options;
    private final TargetSafety safety;
    private final WriteInterceptor interceptor;
    private final Clock clock;
    private final EventSink sink;

    public Station(StationRecords records, FleetKeys keys, DeviceIdPattern idPattern, DeviceSettings settings,
                   FlashOptions options, TargetSafety safety, WriteInterceptor interceptor, Clock clock, EventSink sink) {
        this.records = records;
        this.keys = keys;
        this.idPattern = idPattern;
        this.settings = settings;
        this.options = options;
        this.safety = safety;
        this.interceptor = interceptor;
        this.clock = clock;
        this.sink = sink;
    }

    private static final class Job {
        final StationTarget target;
        long recordId;
        String deviceId;
        DeviceCredentials credentials;
        TargetWriter writer;
        long bytes;
        volatile String error;
        volatile boolean verifyFailed;

        Job(StationTarget target) {
            this.target = target;
        }
    }

    /** Writes {@code source} to every target; returns one result per target, in order. */
    public List<StationResult> provision(ImageSource source, List<StationTarget> targets) throws IOException {
        ImageIdentity image = ImageIdentity.of(source);
        List<Job> jobs = new ArrayList<>();
        List<ImagePass.Target> passTargets = new ArrayList<>();
        List<Job> writing = new ArrayList<>();
        try {
            for (StationTarget t : targets) {
                Job job = prepare(t, source, image);
                jobs.add(job);
                if (job.error == null) {
                    DeviceSettings own = settings.hostname() == null ? settings.withHostname(job.deviceId) : settings;
                    passTargets.add(new ImagePass.Target(t.path().toString(), job.writer,
                            new BootIdentityWriter(job.credentials, own, clock.instant().getEpochSecond())));
                    writing.add(job);
                }
            }
            if (!passTargets.isEmpty()) {
                writeAndVerify(source, passTargets, writing);
            }
        } finally {
            for (Job job : jobs) {
                if (job.writer != null) {
                    try {
                        job.writer.close();
                    } catch (IOException e) {
                        // already recorded or about to be
                    }
                }
                if (job.recordId > 0 && job.error == null) {
                    records.finish(job.recordId, ProvisioningRecord.DONE, job.bytes, options.verify() ? "PASSED" : "SKIPPED",
                            null, clock.instant());
                    sink.info(TASK, job.deviceId + " on " + job.target.path() + ": written and verified; it can be removed");
                } else if (job.recordId > 0) {
                    records.finish(job.recordId, ProvisioningRecord.FAILED, job.bytes, job.verifyFailed ? "FAILED" : null,
                            job.error, clock.instant());
                    sink.warn(TASK, job.deviceId + " on " + job.target.path() + " FAILED: " + job.error);
                }
            }
        }
        List<StationResult> out = new ArrayList<>();
        for (Job job : jobs) {
            out.add(new StationResult(job.recordId, job.deviceId, job.target.path(), job.bytes, job.error));
        }
        return out;
    }

    /** Checks the target, issues its identity, records it IN_PROGRESS and opens it. */
    private Job prepare(StationTarget t, ImageSource source, ImageIdentity image) {
        Job job = new Job(t);
        job.deviceId = idPattern.format(records.nextSequence(), t.serial());
        job.credentials = DeviceCredentials.issue(keys, job.deviceId, clock);
        job.recordId = records.start(job.deviceId, t.serial(), job.credentials.certificateSha256(), image.name(),
                image.version(), image.digest(), t.path().toString(), clock.instant());
        try {
            if (t.kind() == TargetKind.BLOCK_DEVICE) {
                safety.check(t.path(), source.imageSize(), options.allowFixed());
            }
            job.writer = TargetWriter.open(t.path(), t.kind() == TargetKind.BLOCK_DEVICE, interceptor, sink,
                    "write " + t.path().getFileName(), source.plan().bytesToWrite(), source.imageSize());
        } catch (IOException | RuntimeException e) {
            job.error = describe(e);
        }
        return job;
    }

    private void writeAndVerify(ImageSource source, List<ImagePass.Target> passTargets, List<Job> writing) throws IOException {
        List<ImagePass.Outcome> outcomes;
        try {
            outcomes = new ImagePass(sink, options.holdLimit(), options.stallTimeout()).run(source, passTargets);
        } catch (IOException | RuntimeException e) {
            for (Job job : writing) {
                job.bytes = job.writer.bytesWritten();
                job.error = "the image could not be read: " + describe(e);
            }
            throw e;
        }
        ExecutorService verifiers = Executors.newFixedThreadPool(writing.size());
        try {
            List<Future<?>> pending = new ArrayList<>();
            for (int i = 0; i < writing.size(); i++) {
                Job job = writing.get(i);
                ImagePass.Outcome o = outcomes.get(i);
                job.bytes = o.bytes();
                if (!o.ok()) {
                    job.error = "write failed after " + o.bytes() + " bytes: " + describe(o.failure());
                    continue;
                }
                if (options.verify()) {
                    pending.add(verifiers.submit(() -> {
                        try {
                            new TargetVerifier(sink, "verify " + job.target.path().getFileName()).verify(job.target.path(), o.written());
                        } catch (IOException | RuntimeException e) {
                            job.error = describe(e);
                            job.verifyFailed = true;
                        }
                    }));
                }
            }
            for (Future<?> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while verifying");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } finally {
            verifiers.shutdownNow();
        }
    }

    static String describe(Throwable e) {
        if (e instanceof FleetkitException f) {
            return f.code() + ": " + f.getMessage();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
