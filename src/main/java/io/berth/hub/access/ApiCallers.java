package io.berth.hub.access;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

import io.berth.hub.access.caller.Caller;

/**
 * Hands REST controllers the {@link Caller} of the request: declare a {@code Caller} parameter and it is there,
 * {@link Caller#ANONYMOUS} when nobody signed in.
 */
public final class ApiCallers implements HandlerMethodArgumentResolver {

    private static final String ATTRIBUTE = Caller.class.getName();

    static void set(HttpServletRequest request, Caller caller) {
        request.setAttribute(ATTRIBUTE, caller);
    }

    /** The caller of an API request. */
    public static Caller of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof Caller caller ? caller : Caller.ANONYMOUS;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer, NativeWebRequest webRequest,
                                  WebDataBinderFactory binderFactory) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        return request == null ? Caller.ANONYMOUS : of(request);
    }
}
