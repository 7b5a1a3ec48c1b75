package io.herald.console.account;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A local console account; {@link LocalSignIn} checks the sign-in form against it (bcrypt, Modular Crypt Format). */
@Entity
@Table(name = "console_accounts")
public class ConsoleAccount extends PanacheEntityBase {
    @Id
    public String username;

    @Column(name = "password_hash")
    public String passwordHash;

    public String role;

    @Column(name = "created_at")
    public Instant createdAt;
}
