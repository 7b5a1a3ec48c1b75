package io.herald.broker.artemis;

import io.herald.broker.BrokerFlavour;
import io.herald.broker.BrokerTopology;
import io.vertx.amqp.AmqpConnection;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpReceiver;
import io.vertx.amqp.AmqpSender;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ActiveMQ Artemis, embedded or external. Queues are declared through Artemis' management API, spoken over the same
 * AMQP 1.0 connection (requests to {@code activemq.management}, answers on a temporary reply queue), so the embedded
 * and an external Artemis are handled by one code path. Each queue is an ANYCAST queue on an address of its own name;
 * its address settings send messages a consumer rejects, or fails {@value #MAX_DELIVERY_ATTEMPTS} times, to the
 * dead-letter queue.
 */
public class ArtemisTopology implements BrokerTopology {
    static final String MANAGEMENT_ADDRESS = "activemq.management";
    /** Artemis' code for "no such queue" (ActiveMQNonExistentQueueException). */
    private static final String NO_SUCH_QUEUE = "AMQ229017:";

    @Override
    public BrokerFlavour flavour() {
        return BrokerFlavour.ARTEMIS;
    }

    @Override
    public String address(String queue) {
        return queue;
    }

    @Override
    public Future<Void> declareQueue(AmqpConnection connection, String queue) {
        String deadLetterQueue = BrokerTopology.deadLetterQueue(queue);
        return call(
                        connection,
                        List.of(
                                ManagementCall.operation(
                                        "broker",
                                        "createQueue",
                                        new JsonArray()
                                                .add(queueConfiguration(deadLetterQueue)
                                                        .encode())
                                                .add(true)),
                                ManagementCall.operation(
                                        "broker",
                                        "addAddressSettings",
                                        new JsonArray()
                                                .add(queue)
                                                .add(new JsonObject()
                                                        .put("deadLetterAddress", deadLetterQueue)
                                                        .put("maxDeliveryAttempts", MAX_DELIVERY_ATTEMPTS)
                                                        .put("autoCreateDeadLetterResources", false)
                                                        .encode())),
                                ManagementCall.operation(
                                        "broker",
                                        "createQueue",
                                        new JsonArray()
                                                .add(queueConfiguration(queue).encode())
                                                .add(true))))
                .mapEmpty();
    }

    /** One broker call tells whether the queue exists (its attributes cannot: a missing queue is a generic failure). */
    @Override
    public Future<Optional<QueueState>> inspect(AmqpConnection connection, String queue) {
        JsonObject byName =
                new JsonObject().put("field", "name").put("operation", "EQUALS").put("value", queue);
        return call(
                        connection,
                        List.of(ManagementCall.operation(
                                "broker",
                                "listQueues",
                                new JsonArray().add(byName.encode()).add(1).add(1))))
                .map(replies -> {
                    JsonArray found = new JsonObject(new JsonArray(replies.get(0)).getString(0)).getJsonArray("data");
                    if (found == null || found.isEmpty()) {
                        return Optional.empty();
                    }
                    JsonObject state = found.getJsonObject(0);
                    return Optional.of(new QueueState(
                            Long.parseLong(String.valueOf(state.getValue("messageCount"))),
                            Integer.parseInt(String.valueOf(state.getValue("consumerCount")))));
                });
    }

    @Override
    public Future<Void> deleteQueue(AmqpConnection connection, String queue) {
        List<ManagementCall> calls = new ArrayList<>();
        for (String name : List.of(queue, BrokerTopology.deadLetterQueue(queue))) {
            // destroyQueue(name, removeConsumers, autoDeleteAddress); either may be gone already.
            calls.add(ManagementCall.operation(
                            "broker",
                            "destroyQueue",
                            new JsonArray().add(name).add(true).add(true))
                    .doneIfMissing());
        }
        calls.add(ManagementCall.operation("broker", "removeAddressSettings", new JsonArray().add(queue)));
        return call(connection, calls).mapEmpty();
    }

    private static JsonObject queueConfiguration(String queue) {
        return new JsonObject()
                .put("name", queue)
                .put("address", queue)
                .put("routing-type", "ANYCAST")
                .put("durable", true);
    }

    /**
     * Runs the calls one after another on a temporary reply queue; fails on the first the broker refuses, except a call
     * on a queue that does not exist when that call says so is done.
     */
    private Future<List<String>> call(AmqpConnection connection, List<ManagementCall> calls) {
        return connection
                .createDynamicReceiver()
                .compose(replies -> connection
                        .createSender(MANAGEMENT_ADDRESS)
                        .compose(requests -> invokeAll(requests, replies, calls).eventually(() -> requests.close()))
                        .eventually(() -> replies.close()));
    }

    private Future<List<String>> invokeAll(AmqpSender requests, AmqpReceiver replies, List<ManagementCall> calls) {
        List<String> bodies = new ArrayList<>();
        Promise<List<String>> done = Promise.promise();
        replies.handler(reply -> {
            ManagementCall call = calls.get(bodies.size());
            Boolean succeeded = reply.applicationProperties() == null
                    ? null
                    : reply.applicationProperties().getBoolean("_AMQ_OperationSucceeded");
            String answer = reply.bodyAsString();
            boolean missingAndDone = call.missingIsDone() && answer != null && answer.contains(NO_SUCH_QUEUE);
            if (!Boolean.TRUE.equals(succeeded) && !missingAndDone) {
                done.tryFail(new IllegalStateException("Artemis refused " + call.describe() + ": " + answer));
                return;
            }
            bodies.add(answer);
            if (bodies.size() == calls.size()) {
                done.tryComplete(bodies);
            } else {
                send(requests, replies, calls.get(bodies.size()));
            }
        });
        send(requests, replies, calls.get(0));
        return done.future();
    }

    private void send(AmqpSender requests, AmqpReceiver replies, ManagementCall call) {
        JsonObject properties =
                new JsonObject().put("_AMQ_ResourceName", call.resource()).put("_AMQ_OperationName", call.operation());
        requests.send(AmqpMessage.create()
                .replyTo(replies.address())
                .applicationProperties(properties)
                .withBody(call.arguments().encode())
                .build());
    }

    /** @param missingIsDone a refusal because the queue does not exist counts as done (deleting it, say) */
    private record ManagementCall(String resource, String operation, JsonArray arguments, boolean missingIsDone) {
        static ManagementCall operation(String resource, String operation, JsonArray arguments) {
            return new ManagementCall(resource, operation, arguments, false);
        }

        ManagementCall doneIfMissing() {
            return new ManagementCall(resource, operation, arguments, true);
        }

        String describe() {
            return operation + " on " + resource;
        }
    }
}
