FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/MlOps.Api -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8008 \
    MlOps__DataDir=/data
VOLUME /data
EXPOSE 8008
ENTRYPOINT ["dotnet", "MlOps.Api.dll"]
