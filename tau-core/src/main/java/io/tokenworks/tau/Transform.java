package io.tokenworks.tau;

import java.util.Locale;

/**
 * A lens transform, named as on the TAU wire. Unit conversions map one value; {@link #RETURNS} and
 * {@link #LOG_RETURN} need the previous point of their input too, so a lens that uses them has no
 * value at a series' first point.
 */
public enum Transform {
  IDENTITY,
  CELSIUS_TO_FAHRENHEIT,
  FAHRENHEIT_TO_CELSIUS,
  CELSIUS_TO_KELVIN,
  KELVIN_TO_CELSIUS,
  METERS_TO_FEET,
  FEET_TO_METERS,
  /** Simple return {@code v_t / v_(t-1) - 1}. */
  RETURNS,
  /** Log return {@code ln(v_t / v_(t-1))}. */
  LOG_RETURN;

  private static final double FEET_PER_METER = 3.28084;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The name on the wire, e.g. {@code celsius_to_fahrenheit}. */
  public String wireName() {
    return wireName;
  }

  /** The transform with that wire name, or {@code null} when there is none. */
  public static Transform fromWireName(String name) {
    for (Transform transform : values()) {
      if (transform.wireName.equals(name)) {
        return transform;
      }
    }
    return null;
  }

  /** Whether the transform needs the previous point of its input. */
  public boolean needsPrevious() {
    return this == RETURNS || this == LOG_RETURN;
  }

  /** Applies a transform that does not {@linkplain #needsPrevious() need the previous point}. */
  public double apply(double value) {
    return switch (this) {
      case IDENTITY -> value;
      case CELSIUS_TO_FAHRENHEIT -> value * 9.0 / 5.0 + 32.0;
      case FAHRENHEIT_TO_CELSIUS -> (value - 32.0) * 5.0 / 9.0;
      case CELSIUS_TO_KELVIN -> value + 273.15;
      case KELVIN_TO_CELSIUS -> value - 273.15;
      case METERS_TO_FEET -> value * FEET_PER_METER;
      case FEET_TO_METERS -> value / FEET_PER_METER;
      case RETURNS, LOG_RETURN ->
          throw new IllegalStateException(this + " needs the previous value");
    };
  }

  /** Applies any transform to a value and the previous value of the same input. */
  public double apply(double value, double previous) {
    return switch (this) {
      case RETURNS -> value / previous - 1.0;
      case LOG_RETURN -> Math.log(value / previous);
      default -> apply(value);
    };
  }
}
