using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using MlOps.Api.Clarifai.Grpc.Wire;

namespace MlOps.Api.Clarifai.Grpc;

/// <summary>
/// Clarifai's <c>clarifai.api.V2</c> gRPC service. Its methods are the generated service definition's, each bound by
/// <see cref="ClarifaiGrpcMethods"/> to the operation of the same name (the one REST runs); methods Clarifai has and
/// this server does not answer UNIMPLEMENTED.
/// </summary>
public sealed class ClarifaiGrpcService;

/// <summary>
/// Binds every method of the generated <c>V2</c> definition to <see cref="ClarifaiGrpc.RunAsync"/> (a method without
/// an operation stops the start). Requests are read leniently: a message that is not valid protobuf reaches the
/// operation runner marked, and is answered as Clarifai answers an unreadable body, in the response's status.
/// </summary>
public sealed class ClarifaiGrpcMethods : IServiceMethodProvider<ClarifaiGrpcService>
{
    private static readonly ConditionalWeakTable<object, InvalidProtocolBufferException> Unreadable = [];

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<ClarifaiGrpcService> context) => V2.BindService(new Binder(context), null);

    /// <summary>Why the request could not be read, when it could not.</summary>
    public static InvalidProtocolBufferException? UnreadableBecause(IMessage request) => Unreadable.TryGetValue(request, out var error) ? error : null;

    private sealed class Binder(ServiceMethodProviderContext<ClarifaiGrpcService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var descriptor = V2.Descriptor.FindMethodByName(method.Name);
            ClarifaiGrpc.Operation(method.Name);
            var lenient = new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, Lenient(method.RequestMarshaller, descriptor.InputType.Parser), method.ResponseMarshaller);
            context.AddUnaryMethod(lenient, [], async (_, request, call) =>
                (TResponse)await ClarifaiGrpc.RunAsync(method.Name, (IMessage)request, call, descriptor.OutputType));
        }
    }

    private static Marshaller<T> Lenient<T>(Marshaller<T> strict, MessageParser parser) where T : class =>
        new(strict.ContextualSerializer, context =>
        {
            try
            {
                return strict.ContextualDeserializer(context);
            }
            catch (InvalidProtocolBufferException error)
            {
                var empty = (T)parser.ParseFrom([]);
                Unreadable.Add(empty, error);
                return empty;
            }
        });
}
