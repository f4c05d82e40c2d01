package dev.pool4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** What {@code map} returns is an ordinary list: mutable, resizable, serializable. */
class MapResultsTest {

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @EveryBackendAndTheSeam
  void theResultsOfASizedInputCanBeChangedLikeAnArrayList(PoolFactory backend) throws Exception {
    try (Pool pool = backend.create(2)) {
      List<Integer> squares = pool.map(x -> x * x, range(1_000));
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        expected.add(i * i);
      }
      assertThat(squares).isEqualTo(expected).hasSameHashCodeAs(expected);

      squares.set(0, -1);
      squares.add(7);
      squares.add(1, 8);
      squares.remove(2);
      squares.subList(10, 20).clear();
      expected.set(0, -1);
      expected.add(7);
      expected.add(1, 8);
      expected.remove(2);
      expected.subList(10, 20).clear();
      assertThat(squares).isEqualTo(expected);
      squares.sort(null);
      expected.sort(null);
      assertThat(squares).isEqualTo(expected);

      Iterator<Integer> it = squares.iterator();
      it.next();
      squares.add(3);
      assertThatThrownBy(it::next).isInstanceOf(ConcurrentModificationException.class);
      assertThatThrownBy(() -> squares.get(squares.size()))
          .isInstanceOf(IndexOutOfBoundsException.class);

      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(squares);
      }
      try (ObjectInputStream in =
          new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        Object back = in.readObject();
        assertThat(back).isInstanceOf(ArrayList.class).isEqualTo(squares);
      }

      squares.clear();
      assertThat(squares).isEmpty();
      squares.add(1);
      assertThat(squares).containsExactly(1);
    }
  }

  @EveryBackendAndTheSeam
  void aCollectionWithMoreElementsThanItsSizeSaysGivesThemAll(PoolFactory backend) {
    Collection<Integer> understated =
        new AbstractCollection<>() {
          @Override
          public Iterator<Integer> iterator() {
            return range(300).iterator();
          }

          @Override
          public int size() {
            return 40;
          }
        };
    try (Pool pool = backend.create(2)) {
      assertThat(pool.map(x -> x + 1, understated))
          .isEqualTo(range(300).stream().map(x -> x + 1).collect(Collectors.toList()));
    }
  }

  @EveryBackendAndTheSeam
  void everyKindOfInputGivesTheSameList(PoolFactory backend) {
    try (Pool pool = backend.create(3)) {
      List<Integer> expected = pool.map(x -> x + 1, range(500));
      assertThat(pool.map(x -> x + 1, new LinkedList<>(range(500)))).isEqualTo(expected);
      assertThat(pool.map(x -> x + 1, range(500).iterator())).isEqualTo(expected);
      assertThat(pool.map(x -> x + 1, range(500).stream())).isEqualTo(expected);
      assertThat(pool.map(x -> x + 1, range(500), 7)).isEqualTo(expected);
      assertThat(pool.map((Integer x) -> x + 1, List.<Integer>of())).isEmpty();
    }
  }
}
