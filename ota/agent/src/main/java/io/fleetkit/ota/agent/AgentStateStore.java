package io.fleetkit.ota.agent;

import io.fleetkit.events.FleetkitException;
import io.fleetkit.formats.bootstate.Slot;
import io.fleetkit.json.JsonFields;
import io.fleetkit.json.JsonParser;
import io.fleetkit.json.JsonWriter;
import io.fleetkit.ota.protocol.BundleRef;
import io.fleetkit.ota.protocol.UpdateEvent;
import io.fleetkit.ota.protocol.UpdateState;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps {@link AgentState} in {@code <data>/agent-state.json}, replaced atomically ({@link AtomicFile}):
 * a power cut leaves either the old or the new file, never a mix.
 */
public final class AgentStateStore {

    public static final String FILE = "agent-state.json";
    private static final int MAX_CHARS = 4 * 1024 * 1024;

    private final Path dir;

    public AgentStateStore(Path dir) {
        this.dir = dir;
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    public Optional<AgentState> load() throws IOException {
        Path f = file();
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(JsonParser.parseObject(Files.readString(f, StandardCharsets.UTF_8), MAX_CHARS)));
        } catch (RuntimeException e) {
            throw new FleetkitException("agent.bad-state", f + " cannot be read: " + e.getMessage(),
                    "Remove it to start from IDLE; the boot state on p1 still decides which slot runs.");
        }
    }

    public void save(AgentState s) throws IOException {
        save(s, true);
    }

    /**
     * Saves download progress: like {@link #save}, but without the directory fsync, so a power cut
     * may keep the previous file (never a torn one). Only for saves that differ from the previous one
     * in the chunk count, which resume re-derives from the slot anyway; the next full save makes the
     * rename durable too.
     */
    public void saveProgress(AgentState s) throws IOException {
        save(s, false);
    }

    // synchronized: a download checkpoint is saved on the slot writer's sync thread
    private synchronized void save(AgentState s, boolean durableRename) throws IOException {
        AtomicFile.write(file(), JsonWriter.writePretty(encode(s)).getBytes(StandardCharsets.UTF_8), durableRename);
    }

    static Map<String, Object> encode(AgentState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", 1);
        m.put("state", s.state().name());
        m.put("targetVersion", s.targetVersion());
        m.put("rollout", s.rollout());
        if (s.bundle() != null) {
            BundleRef b = s.bundle();
            m.put("bundle", Map.of("sha256", b.sha256(), "size", b.size(), "headerSize", b.headerSize(),
                    "chunkSize", b.chunkSize(), "chunks", b.chunks()));
        }
        m.put("url", s.url());
        m.put("targetSlot", s.targetSlot() == null ? null : s.targetSlot().name());
        m.put("manifest", s.manifest() == null ? null : Base64.getEncoder().encodeToString(s.manifest()));
        m.put("signature", s.signature() == null ? null : Base64.getEncoder().encodeToString(s.signature()));
        m.put("chunksDone", s.chunksDone());
        m.put("reason", s.reason());
        m.put("message", s.message());
        m.put("bootId", s.bootId());
        m.put("since", s.since() == null ? null : s.since().toString());
        m.put("committedVersionNumber", s.committedVersionNumber());
        m.put("eventSeq", s.eventSeq());
        List<Object> out = new ArrayList<>();
        for (UpdateEvent e : s.outbox()) {
            out.add(new String(e.encode(), StandardCharsets.UTF_8));
        }
        m.put("outbox", out);
        return m;
    }

    static AgentState decode(Map<String, Object> m) {
        JsonFields f = JsonFields.of("agent state", m, JsonFields.JSON);
        JsonFields b = f.optionalObject("bundle");
        BundleRef ref = b == null ? null
                : new BundleRef(b.requiredString("sha256"), b.requiredLong("size"), b.requiredLong("headerSize"), b.requiredInt("chunkSize"),
                        b.requiredInt("chunks"));
        List<UpdateEvent> outbox = new ArrayList<>();
        for (String event : f.has("outbox") ? f.requiredStrings("outbox") : List.<String>of()) {
            outbox.add(UpdateEvent.decode(event.getBytes(StandardCharsets.UTF_8)));
        }
        return new AgentState(f.requiredEnum("state", UpdateState.class), f.optionalString("targetVersion"), f.optionalString("rollout"), ref,
                f.optionalString("url"), Slot.parseOrNull(f.optionalString("targetSlot")), bytes(f.optionalString("manifest")),
                bytes(f.optionalString("signature")), f.requiredInt("chunksDone"), f.optionalString("reason"), f.optionalString("message"),
                f.optionalString("bootId"), f.optionalInstant("since"), f.requiredLong("committedVersionNumber"), f.requiredLong("eventSeq"),
                outbox);
    }

    private static byte[] bytes(String base64) {
        return base64 == null ? null : Base64.getDecoder().decode(base64);
    }
}
