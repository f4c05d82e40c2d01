package dev.pool4j.internal.scheduler;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The list a {@code map} returns when its input's size was known: the array the workers copied
 * their chunks' results into, as they finished, handed over without another copy. Mutable and
 * resizable like an {@link ArrayList} (and serialized as one).
 */
final class ResultList extends AbstractList<Object> implements RandomAccess, Serializable {

  private static final long serialVersionUID = 1L;

  private transient Object[] elements;
  private int size;

  ResultList(Object[] elements, int size) {
    this.elements = elements;
    this.size = size;
  }

  @Override
  public Object get(int index) {
    Objects.checkIndex(index, size);
    return elements[index];
  }

  @Override
  public Object set(int index, Object element) {
    Objects.checkIndex(index, size);
    Object old = elements[index];
    elements[index] = element;
    return old;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public void add(int index, Object element) {
    Objects.checkIndex(index, size + 1);
    modCount++;
    if (size == elements.length) {
      elements = Arrays.copyOf(elements, Math.max(10, size + (size >> 1) + 1));
    }
    System.arraycopy(elements, index, elements, index + 1, size - index);
    elements[index] = element;
    size++;
  }

  @Override
  public Object remove(int index) {
    Objects.checkIndex(index, size);
    modCount++;
    Object old = elements[index];
    System.arraycopy(elements, index + 1, elements, index, size - index - 1);
    elements[--size] = null;
    return old;
  }

  @Override
  protected void removeRange(int fromIndex, int toIndex) {
    modCount++;
    System.arraycopy(elements, toIndex, elements, fromIndex, size - toIndex);
    int newSize = size - (toIndex - fromIndex);
    Arrays.fill(elements, newSize, size, null);
    size = newSize;
  }

  @Override
  public Object[] toArray() {
    return Arrays.copyOf(elements, size);
  }

  /** Serialized as a plain {@code ArrayList}: the other side needs no pool4j class. */
  private Object writeReplace() {
    return new ArrayList<>(this);
  }
}
