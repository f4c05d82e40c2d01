package dev.pool4j.benchmarks.compare;

import com.pivovarit.collectors.ParallelCollectors;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/** Placeholder probe that proves the Java 21 source root compiles against parallel-collectors. */
final class ParallelCollectorsProbe {
    static List<Integer> squares(List<Integer> xs) {
        try (var executor = Executors.newFixedThreadPool(2)) {
            return xs.stream().collect(ParallelCollectors.parallel(x -> x * x, executor, 2)).join()
                    .toList();
        }
    }
}
