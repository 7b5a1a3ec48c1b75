package io.herald.broker.amqp10;

import io.herald.broker.QueueReceiver;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.ProtonDelivery;
import io.vertx.proton.ProtonLinkOptions;
import io.vertx.proton.ProtonReceiver;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Modified;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.messaging.Released;
import org.apache.qpid.proton.message.Message;
import org.jboss.logging.Logger;

/**
 * A queue receiver whose link credit Herald grants itself: as many messages as the reader has room for, and only
 * once the credit granted before is used up.
 * <p>
 * Why not vertx-amqp's {@code AmqpReceiver}: it sends a flow frame for every message it hands over. RabbitMQ 3.x's
 * AMQP 1.0 plugin computes a flow's credit against its own count of deliveries, which lags behind the deliveries still
 * on their way to the client, so each flow grants those again; at thousands of messages a second the surplus feeds
 * itself until Herald's heap is exhausted (ADR 0014). With a flow only at zero credit, nothing is in transit when the
 * broker computes it. Should a broker still send past the credit, messages beyond {@code window} more are
 * released back to the queue, not held.
 * <p>
 * Proton is single-threaded: everything touching the link runs on the connection's context; the methods here may be
 * called from any thread.
 */
public final class CreditedReceiver implements QueueReceiver {
    private static final Logger LOG = Logger.getLogger(CreditedReceiver.class);

    private final Context context;
    private final ProtonReceiver link;
    /** The most the reader ever has room for; the bound on what a broker may send past the credit. */
    private final int window;

    private final String address;
    private Handler<QueueReceiver.Delivered> handler;
    private Handler<Throwable> closedRemotely;
    /** Credit granted and not yet used; negative when the broker sent past it. Context only. */
    private int credit;
    /** Messages the reader has room for now (set from any thread). */
    private volatile int room;

    private boolean closing;
    private boolean overshootLogged;

    private CreditedReceiver(Context context, ProtonReceiver link, int window, String address) {
        this.context = context;
        this.link = link;
        this.window = window;
        this.address = address;
    }

    /** Opens a receiver on {@code address}; runs on the connection's context. */
    static Future<CreditedReceiver> open(
            ProtonConnection connection,
            Context context,
            String address,
            int window,
            Handler<QueueReceiver.Delivered> handler) {
        Promise<CreditedReceiver> opened = Promise.promise();
        context.runOnContext(v -> {
            ProtonReceiver link = connection.createReceiver(address, new ProtonLinkOptions());
            CreditedReceiver receiver = new CreditedReceiver(context, link, window, address);
            receiver.handler = handler;
            link.setPrefetch(0).setAutoAccept(false);
            link.handler(receiver::onTransfer);
            link.openHandler(result -> {
                if (result.succeeded()) {
                    opened.tryComplete(receiver); // no credit until the reader says how much room it has
                } else {
                    opened.tryFail(result.cause());
                }
            });
            link.closeHandler(result -> receiver.onClosed(result.cause()));
            link.detachHandler(result -> receiver.onClosed(result.cause()));
            link.open();
        });
        return opened.future();
    }

    @Override
    public CreditedReceiver closedRemotelyHandler(Handler<Throwable> handler) {
        this.closedRemotely = handler;
        return this;
    }

    /**
     * How many messages the reader has room for now; credit for them is granted once the credit granted before is used
     * up. Calls must not overlap (the reader serialises them). Any thread.
     */
    @Override
    public void room(int messages) {
        int before = room;
        room = messages;
        if (messages > 0 && before <= 0) {
            context.runOnContext(v -> topUp()); // while there was room, a transfer at zero credit topped up itself
        }
    }

    /** Detaches the link; unsettled messages go back to the queue. Completes when the detach is sent. */
    @Override
    public Future<Void> close() {
        Promise<Void> sent = Promise.promise();
        context.runOnContext(v -> {
            if (!closing) {
                closing = true;
                if (link.isOpen()) {
                    link.close();
                }
            }
            sent.complete();
        });
        return sent.future();
    }

    private void topUp() {
        int wanted = room;
        if (wanted > 0 && credit <= 0 && !closing && link.isOpen()) {
            int grant = wanted - credit; // proton counts as we do: after this flow the link's credit is what was wanted
            credit = wanted;
            link.flow(grant);
        }
    }

    private void onTransfer(ProtonDelivery delivery, Message message) {
        credit--;
        if (credit < -window) {
            if (!overshootLogged) {
                overshootLogged = true;
                LOG.warnf(
                        "The broker sends %s past the link credit Herald granted; messages beyond a window are released back",
                        address);
            }
            delivery.disposition(Released.getInstance(), true);
            return;
        }
        handler.handle(new Delivered(delivery, message));
        topUp();
    }

    private void onClosed(Throwable cause) {
        if (!closing) {
            closing = true;
            if (link.isOpen()) {
                link.close();
            }
            if (closedRemotely != null) {
                closedRemotely.handle(
                        cause != null ? cause : new IllegalStateException("The broker closed the link to " + address));
            }
        }
    }

    private final class Delivered implements QueueReceiver.Delivered {
        private final ProtonDelivery delivery;
        private final AmqpMessage message;

        private Delivered(ProtonDelivery delivery, Message message) {
            this.delivery = delivery;
            this.message = AmqpMessage.create(message).build();
        }

        @Override
        public AmqpMessage message() {
            return message;
        }

        @Override
        public void accept() {
            settle(Accepted.getInstance());
        }

        @Override
        public void reject() {
            settle(new Rejected());
        }

        @Override
        public void redeliver() {
            Modified modified = new Modified();
            modified.setDeliveryFailed(true);
            settle(modified);
        }

        private void settle(org.apache.qpid.proton.amqp.transport.DeliveryState outcome) {
            context.runOnContext(v -> delivery.disposition(outcome, true));
        }
    }
}
