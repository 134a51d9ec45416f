package org.orthweb;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ForkJoinPool;

/**
 * Works around a livelock of pulumi-java 1.36.1 on Java 25 when the common fork/join pool has a
 * parallelism of 1, which is the default on a machine (or container) with two CPUs (the common
 * pool's default parallelism is the number of CPUs minus one). The program, the offline plan and
 * {@code pulumi up} then spin one core forever and print nothing.
 *
 * <p>The cause (pulumi/pulumi-java#2270, fixed by pulumi/pulumi-java#2314 after 1.36.1): the
 * deployment runner ({@code DeploymentImpl.DefaultRunner.loopUntilDone}) polls for its remaining
 * tasks by re-submitting itself with {@code CompletableFuture.runAsync}, that is to
 * {@code CompletableFuture}'s default executor. Up to Java 24 that executor is a new thread per
 * task whenever the common pool's parallelism is below 2 ({@code USE_COMMON_POOL} in
 * {@code CompletableFuture}), so the loop never competes with the program's own tasks. From Java 25
 * it is the common pool whatever its parallelism ({@code ASYNC_POOL = ForkJoinPool.asyncCommonPool()}
 * in Java 25's {@code CompletableFuture}); with one worker, the loop task that worker keeps
 * re-submitting to its own queue is taken first every time and the tasks it waits for never run.
 *
 * <p>The workaround gives the common pool at least two workers, through
 * {@code ForkJoinPool.setParallelism} (Java 19+; called reflectively because the program is
 * compiled for Java 17, where the problem does not exist), which works even after the pool has
 * been used. Every entry point calls it before running the program: {@link Main} (command line
 * and {@code pulumi up}), the offline plan and the Automation API deployer.
 */
public final class CommonPool {

    /** The parallelism below which pulumi-java 1.36.1 can livelock on Java 25. */
    public static final int MINIMUM_PARALLELISM = 2;

    static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private CommonPool() {
    }

    /**
     * Raises the common pool's parallelism to {@link #MINIMUM_PARALLELISM} if it is lower (never
     * lowers it). Idempotent and cheap: call it before every program run.
     *
     * @throws IllegalStateException on Java 25 or newer when the parallelism is below 2 and cannot
     *                               be raised because it was fixed with the system property
     *                               {@value #PROPERTY}; the message says what to change
     */
    public static void ensureParallelism() {
        ForkJoinPool pool = ForkJoinPool.commonPool();
        int parallelism = pool.getParallelism();
        if (parallelism >= MINIMUM_PARALLELISM) {
            return;
        }
        Method setParallelism;
        try {
            setParallelism = ForkJoinPool.class.getMethod("setParallelism", int.class);
        } catch (NoSuchMethodException e) {
            return; // Java 17 or 18: CompletableFuture uses a thread per task here, nothing to do
        }
        try {
            setParallelism.invoke(pool, MINIMUM_PARALLELISM);
        } catch (InvocationTargetException e) {
            if (Runtime.version().feature() >= 25) {
                throw new IllegalStateException("the JVM option -D" + PROPERTY + "=" + parallelism + " makes the "
                        + "Pulumi Java SDK hang on Java " + Runtime.version().feature() + " (pulumi/pulumi-java#2270): "
                        + "remove it, or set it to " + MINIMUM_PARALLELISM + " or more", e.getCause());
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call ForkJoinPool.setParallelism", e);
        }
    }
}
