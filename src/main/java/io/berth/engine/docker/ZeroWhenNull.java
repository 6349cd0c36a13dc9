package io.berth.engine.docker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * A field Go declares as a value (a {@code bool}, a number, a {@code string}): absent or {@code null} in a request it
 * is its zero value ({@code false}, {@code 0}, {@code ""}), as Go's decoder makes it, and never null in an answer.
 */
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@JacksonAnnotationsInside
@JsonSetter(nulls = Nulls.AS_EMPTY)
public @interface ZeroWhenNull {
}
