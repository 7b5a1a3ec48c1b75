package io.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Linux tells of Herald's process and of the machine (from /proc and jcmd); zeros or null when unknown. */
final class ProcessFigures {
    private ProcessFigures() {}

    /** The machine's CPU time so far in clock ticks: {total, steal} (from /proc/stat); zeros when unknown. */
    static long[] machineCpu() {
        try {
            String[] fields =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            return new long[] {total, fields.length > 8 ? Long.parseLong(fields[8]) : 0};
        } catch (Exception e) {
            return new long[] {0, 0};
        }
    }

    /** CPU seconds of the JVM's JIT compiler threads ("C1/C2 CompilerThre" in /proc). */
    static double compilerSeconds(long pid) {
        double seconds = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm"));
                    if (name.startsWith("C2 Compiler") || name.startsWith("C1 Compiler")) {
                        seconds += cpuSecondsIn(Files.readString(task.resolve("stat")));
                    }
                } catch (IOException e) {
                    // the thread ended
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return seconds;
    }

    /** CPU time (user + system) the process used so far, in seconds; 0 when unknown. */
    static double cpuSeconds(long pid) {
        try {
            return cpuSecondsIn(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (Exception e) {
            return 0;
        }
    }

    /** User + system time from a /proc/.../stat line (fields 14 and 15, in clock ticks of USER_HZ = 100). */
    private static double cpuSecondsIn(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** Resident memory in KiB. */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }

    /** Herald's heap after a full collection, from jcmd (GC.run, then GC.heap_info): "N MiB of M MiB committed". */
    static String heapAfterFullGc(long pid) {
        if (pid == 0) {
            return null;
        }
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            new ProcessBuilder(jcmd, Long.toString(pid), "GC.run")
                    .redirectErrorStream(true)
                    .start()
                    .waitFor();
            Process info = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info")
                    .redirectErrorStream(true)
                    .start();
            String text = new String(info.getInputStream().readAllBytes());
            info.waitFor();
            Matcher heap = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(text);
            return heap.find()
                    ? Long.parseLong(heap.group(2)) / 1024 + " MiB (heap committed: "
                            + Long.parseLong(heap.group(1)) / 1024 + " MiB)"
                    : null;
        } catch (Exception e) {
            return null;
        }
    }
}
