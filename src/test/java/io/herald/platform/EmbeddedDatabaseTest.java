package io.herald.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.platform.embedded.DataDirectory;
import io.herald.platform.embedded.EmbeddedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embedded mode keeps its data: what was committed before a restart is there after it, with durable commits. */
class EmbeddedDatabaseTest {

    @Test
    void committedDataSurvivesARestartOnTheSameDataDirectory(@TempDir Path temp) throws Exception {
        DataDirectory data = DataDirectory.open(temp.resolve("data").toString());
        try (EmbeddedDatabase first = EmbeddedDatabase.start(data);
                Connection connection = DriverManager.getConnection(first.jdbcUrl());
                Statement statement = connection.createStatement()) {
            try (ResultSet setting = statement.executeQuery("show synchronous_commit")) {
                assertTrue(setting.next());
                assertEquals("on", setting.getString(1), "durability is the product");
            }
            statement.execute("create table kept (value text)");
            statement.execute("insert into kept values ('before restart')");
        }
        try (EmbeddedDatabase second = EmbeddedDatabase.start(data);
                Connection connection = DriverManager.getConnection(second.jdbcUrl());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select value from kept")) {
            assertTrue(rows.next());
            assertEquals("before restart", rows.getString(1));
        }
    }
}
