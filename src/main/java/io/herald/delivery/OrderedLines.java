package io.herald.delivery;

import io.agroal.api.AgroalDataSource;
import io.herald.platform.Database;
import io.herald.store.OrderedRows;
import jakarta.inject.Singleton;
import java.sql.SQLException;

/**
 * Ordered subscriptions' lines as delivery uses them (ADR 0022): whether an arriving delivery heads its key's line,
 * the sweep that mends stuck lines, and the signal that deliveries were released (the retry poller claims them at
 * once instead of after its poll interval).
 */
@Singleton
class OrderedLines {
    private final AgroalDataSource dataSource;
    private volatile Runnable onReleased = () -> {};

    OrderedLines(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    void onReleased(Runnable listener) {
        this.onReleased = listener;
    }

    /** Deliveries were made due (by a record, a discard, a sweep): tells the listener. */
    void released(int count) {
        if (count > 0) {
            onReleased.run();
        }
    }

    /** Whether an arriving delivery of an ordered subscription may be attempted now. */
    OrderedRows.Admission admit(String deliveryId) throws SQLException {
        return Database.inTransaction(dataSource, connection -> OrderedRows.admit(connection, deliveryId));
    }

    /** Mends lines left stuck (a crash between steps, a path that ended deliveries elsewhere). */
    void sweep() throws SQLException {
        released(Database.inTransaction(dataSource, connection -> OrderedRows.sweep(connection, 1000)));
    }
}
