package io.fleetkit.ota.mqtt;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A listener that keeps what arrives, for tests to take in order. */
final class Inbox implements MqttListener {

    record Message(String topic, byte[] payload, boolean retained) {
    }

    final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<IOException> lost = new CompletableFuture<>();

    @Override
    public void message(String topic, byte[] payload, boolean retained) {
        messages.add(new Message(topic, payload, retained));
    }

    @Override
    public void connectionLost(IOException cause) {
        lost.complete(cause);
    }

    /** The next message; fails the test after a minute (a generous bound, not a timing assertion). */
    Message next() throws InterruptedException {
        Message m = messages.poll(60, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 60 s");
        }
        return m;
    }
}
