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

/**
 * ActiveMQ Artemis, embedded or external. Queues are declared through Artemis' management API, spoken over the same
 * AMQP 1.0 connection (requests to {@code activemq.management}, answers on a temporary reply queue), so the embedded
 * and an external Artemis are handled by one code path. Each queue is an ANYCAST queue on an address of its own name;
 * its address settings send messages a consumer rejects, or fails {@value #MAX_DELIVERY_ATTEMPTS} times, to the
 * dead-letter queue.
 */
public class ArtemisTopology implements BrokerTopology {
    static final String MANAGEMENT_ADDRESS = "activemq.management";

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
        return call(connection, List.of(
                ManagementCall.operation("broker", "createQueue", new JsonArray().add(queueConfiguration(deadLetterQueue).encode()).add(true)),
                ManagementCall.operation("broker", "addAddressSettings", new JsonArray().add(queue).add(new JsonObject()
                        .put("deadLetterAddress", deadLetterQueue)
                        .put("maxDeliveryAttempts", MAX_DELIVERY_ATTEMPTS)
                        .put("autoCreateDeadLetterResources", false)
                        .encode())),
                ManagementCall.operation("broker", "createQueue", new JsonArray().add(queueConfiguration(queue).encode()).add(true))))
                .mapEmpty();
    }

    @Override
    public Future<Long> messageCount(AmqpConnection connection, String queue) {
        return call(connection, List.of(ManagementCall.attribute("queue." + queue, "messageCount")))
                .map(replies -> new JsonArray(replies.get(0)).getLong(0));
    }

    @Override
    public Future<Void> deleteQueue(AmqpConnection connection, String queue) {
        List<ManagementCall> calls = new ArrayList<>();
        for (String name : List.of(queue, BrokerTopology.deadLetterQueue(queue))) {
            // destroyQueue(name, removeConsumers, autoDeleteAddress)
            calls.add(ManagementCall.operation("broker", "destroyQueue", new JsonArray().add(name).add(true).add(true)));
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

    /** Runs the calls one after another on a temporary reply queue; fails on the first the broker refuses. */
    private Future<List<String>> call(AmqpConnection connection, List<ManagementCall> calls) {
        return connection.createDynamicReceiver().compose(replies -> connection.createSender(MANAGEMENT_ADDRESS)
                .compose(requests -> invokeAll(requests, replies, calls)
                        .eventually(() -> requests.close()))
                .eventually(() -> replies.close()));
    }

    private Future<List<String>> invokeAll(AmqpSender requests, AmqpReceiver replies, List<ManagementCall> calls) {
        List<String> bodies = new ArrayList<>();
        Promise<List<String>> done = Promise.promise();
        replies.handler(reply -> {
            ManagementCall call = calls.get(bodies.size());
            Boolean succeeded = reply.applicationProperties() == null ? null
                    : reply.applicationProperties().getBoolean("_AMQ_OperationSucceeded");
            if (!Boolean.TRUE.equals(succeeded)) {
                done.tryFail(new IllegalStateException("Artemis refused " + call.describe() + ": " + reply.bodyAsString()));
                return;
            }
            bodies.add(reply.bodyAsString());
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
        JsonObject properties = new JsonObject().put("_AMQ_ResourceName", call.resource());
        if (call.attribute() != null) {
            properties.put("_AMQ_Attribute", call.attribute());
        } else {
            properties.put("_AMQ_OperationName", call.operation());
        }
        requests.send(AmqpMessage.create()
                .replyTo(replies.address())
                .applicationProperties(properties)
                .withBody(call.arguments().encode())
                .build());
    }

    private record ManagementCall(String resource, String operation, String attribute, JsonArray arguments) {
        static ManagementCall operation(String resource, String operation, JsonArray arguments) {
            return new ManagementCall(resource, operation, null, arguments);
        }

        static ManagementCall attribute(String resource, String attribute) {
            return new ManagementCall(resource, null, attribute, new JsonArray());
        }

        String describe() {
            return (operation != null ? operation : "reading " + attribute) + " on " + resource;
        }
    }
}
