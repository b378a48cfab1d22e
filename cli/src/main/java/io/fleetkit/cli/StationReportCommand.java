package io.fleetkit.cli;

import io.fleetkit.station.ProvisioningRecord;
import io.fleetkit.station.StationRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true, description = "Print the station's records: a table, --csv or --json.")
public final class StationReportCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "station", description = "Station directory (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--csv", description = "Comma-separated values with a header line (RFC 4180 quoting).")
    boolean csv;

    @Mixin
    OutputOptions output;

    private static final String[] HEADER = {"id", "device_id", "serial", "cert_sha256", "image_name", "image_version",
        "image_digest", "target", "started", "ended", "bytes_written", "verify", "status", "error"};

    @Override
    public Integer call() {
        if (!Files.exists(dir.resolve("station.mv.db"))) {
            throw new io.fleetkit.events.FleetkitException("station.no-records", "no station records in " + dir,
                    "give the --dir the station ran with");
        }
        List<ProvisioningRecord> rows;
        try (StationRecords records = StationRecords.open(dir)) {
            rows = records.all();
        }
        if (output.json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (ProvisioningRecord r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                String[] v = values(r);
                for (int i = 0; i < HEADER.length; i++) {
                    m.put(HEADER[i], i == 0 ? (Object) r.id() : i == 10 ? (Object) r.bytesWritten() : v[i]);
                }
                out.add(m);
            }
            output.printJson(out);
        } else if (csv) {
            output.out().println(String.join(",", HEADER));
            for (ProvisioningRecord r : rows) {
                List<String> cells = new ArrayList<>();
                for (String v : values(r)) {
                    cells.add(v == null ? "" : v.matches(".*[\",\r\n].*") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
                }
                output.out().println(String.join(",", cells));
            }
        } else {
            Table t = new Table("ID", "DEVICE", "TARGET", "IMAGE", "STARTED", "WRITTEN", "VERIFY", "STATUS", "ERROR");
            for (ProvisioningRecord r : rows) {
                t.row(Long.toString(r.id()), r.deviceId(), r.target(), r.imageName() + " " + (r.imageVersion() == null ? "" : r.imageVersion()),
                        r.started().toString(), ByteSize.format(r.bytesWritten()), r.verify() == null ? "-" : r.verify(), r.status(),
                        r.error() == null ? "" : r.error());
            }
            t.print(output.out());
        }
        output.out().flush();
        return 0;
    }

    private static String[] values(ProvisioningRecord r) {
        return new String[] {Long.toString(r.id()), r.deviceId(), r.serial(), r.certificateSha256(), r.imageName(), r.imageVersion(),
            r.imageDigest(), r.target(), r.started().toString(), r.ended() == null ? null : r.ended().toString(),
            Long.toString(r.bytesWritten()), r.verify(), r.status(), r.error()};
    }
}
