package io.herald.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.testing.HeraldProcess;
import io.herald.testing.SharedParts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several instances deployed together on an empty database (a new Compose stack, a Helm release with two replicas):
 * Flyway's lock on PostgreSQL lets one migrate while the other waits, then finds nothing to do. Both start (neither
 * trips over the console admin the other creates), and each migration is applied once.
 */
class MigrationLockIT {
    @TempDir
    Path temp;

    @Test
    void twoInstancesStartingTogetherOnAnEmptyDatabaseMigrateItOnce() throws Exception {
        try (SharedParts parts = SharedParts.start(temp);
                HeraldProcess first = HeraldProcess.launch("migrate-first", parts.settings("a"));
                HeraldProcess second = HeraldProcess.launch("migrate-second", parts.settings("b"))) {
            first.awaitReady();
            second.awaitReady();

            int migrations = migrationFiles();
            List<String> applied = new ArrayList<>();
            try (Connection connection = DriverManager.getConnection(parts.jdbcUrl());
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "select version, success from flyway_schema_history where version is not null"
                                    + " order by installed_rank")) {
                while (rows.next()) {
                    assertTrue(rows.getBoolean("success"), "migration " + rows.getString("version"));
                    applied.add(rows.getString("version"));
                }
            }
            assertEquals(migrations, applied.size(), "each migration applied once: " + applied);
            assertEquals(migrations, applied.stream().distinct().count(), "no version twice: " + applied);
            long migrated = Stream.of(first.log(), second.log())
                    .filter(log -> log.contains("Successfully applied " + migrations + " migrations"))
                    .count();
            long foundDone = Stream.of(first.log(), second.log())
                    .filter(log -> log.contains("No migration necessary"))
                    .count();
            assertEquals(1, migrated, "one instance migrated");
            assertEquals(1, foundDone, "the other found the schema up to date");
            // The first start also creates the console's admin: once, its generated password printed by one of them.
            assertEquals(
                    1,
                    Stream.of(first.log(), second.log())
                            .filter(log -> log.contains("Console admin account created"))
                            .count(),
                    "one admin password printed");
        }
    }

    private static int migrationFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return (int) files.filter(file -> file.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .count();
        }
    }
}
