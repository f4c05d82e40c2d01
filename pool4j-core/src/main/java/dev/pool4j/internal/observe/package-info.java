/**
 * What the pool tells the outside about itself while it runs: the {@link System.Logger} names it
 * logs under ({@link dev.pool4j.internal.observe.Logs}) and its JDK Flight Recorder events ({@link
 * dev.pool4j.internal.observe.Flight}). A leaf: it depends on nothing else of the library, so that
 * the scheduler and every backend can use it. Not exported: nothing here is API.
 */
package dev.pool4j.internal.observe;
