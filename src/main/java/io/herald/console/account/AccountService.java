package io.herald.console.account;

import io.herald.identity.Role;
import io.herald.platform.problem.ApiProblem;
import io.herald.platform.problem.FieldError;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Local console accounts: created by admins, passwords kept only as bcrypt hashes. */
@ApplicationScoped
public class AccountService {
    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
    static final int MIN_PASSWORD_LENGTH = 12;

    public record AccountOut(String username, String role, Instant createdAt) {}

    private final ConsoleAccounts accounts;

    AccountService(ConsoleAccounts accounts) {
        this.accounts = accounts;
    }

    public List<AccountOut> list() {
        return accounts.all().stream()
                .map(a -> new AccountOut(a.username, a.role, a.createdAt))
                .toList();
    }

    @Transactional
    public AccountOut create(String username, String password, String role) {
        List<FieldError> errors = new ArrayList<>();
        if (username == null || !USERNAME.matcher(username).matches()) {
            errors.add(new FieldError("/username", "use 2 to 64 lower-case letters, digits, '.', '_' or '-'"));
        } else if (accounts.find(username) != null) {
            throw new ApiProblem(
                    io.herald.platform.problem.ProblemType.ALREADY_EXISTS, "Account '" + username + "' already exists");
        }
        checkPassword(password, errors);
        Role parsed = parseRole(role, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        ConsoleAccount account = new ConsoleAccount();
        account.username = username;
        account.passwordHash = BcryptUtil.bcryptHash(password);
        account.role = parsed.id();
        account.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        accounts.insert(account);
        return new AccountOut(account.username, account.role, account.createdAt);
    }

    /** Deletes an account; the last admin cannot be deleted, or nobody could manage accounts again. */
    @Transactional
    public void delete(String username) {
        ConsoleAccount account = accounts.find(username);
        if (account == null) {
            throw ApiProblem.notFound("Account", username);
        }
        if (Role.ADMIN_NAME.equals(account.role) && accounts.countWithRole(Role.ADMIN_NAME) <= 1) {
            throw new ApiProblem(
                    io.herald.platform.problem.ProblemType.CONFLICT, "The last admin account cannot be deleted");
        }
        accounts.delete(account.username);
    }

    /** Creates the admin account, or resets its password when the configured one no longer matches. */
    @Transactional
    public boolean ensureAdmin(String username, String password) {
        ConsoleAccount account = accounts.find(username);
        if (account == null) {
            if (createAdmin(username, password)) {
                return true;
            }
            // Instances started together on a new database: another one created it a moment ago.
            account = accounts.find(username);
        }
        if (!BcryptUtil.matches(password, account.passwordHash)) {
            account.passwordHash = BcryptUtil.bcryptHash(password);
            accounts.updatePassword(account);
        }
        return false;
    }

    /** Creates the admin unless the user name exists (another instance may create it at the same moment). */
    public boolean createAdmin(String username, String password) {
        ConsoleAccount account = new ConsoleAccount();
        account.username = username;
        account.role = Role.ADMIN_NAME;
        account.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        account.passwordHash = BcryptUtil.bcryptHash(password);
        return accounts.insertIfAbsent(account);
    }

    public boolean anyAdmin() {
        return accounts.countWithRole(Role.ADMIN_NAME) > 0;
    }

    private static void checkPassword(String password, List<FieldError> errors) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            errors.add(new FieldError("/password", "use at least " + MIN_PASSWORD_LENGTH + " characters"));
        }
    }

    private static Role parseRole(String role, List<FieldError> errors) {
        try {
            Role parsed = Role.of(role == null ? "" : role);
            if (parsed == Role.PUBLISHER) {
                throw new IllegalArgumentException("publishing is for API keys and service accounts");
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("/role", "choose admin, operator or viewer"));
            return Role.VIEWER;
        }
    }
}
